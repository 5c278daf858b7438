"""`comptoir`: the platform's command line, a thin front over Django management commands.

    comptoir tenant create|list|suspend|resume|delete ...
    comptoir <any manage.py command> ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["dev"]:
        from platform_core.devserver import main as dev

        return dev(args[1:])
    execute_from_command_line(["comptoir", *args])


if __name__ == "__main__":
    main()
