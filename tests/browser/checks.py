"""What every browser test checks on a page: axe-core's WCAG rules and sideways scrolling."""

from __future__ import annotations

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [320, 1280]


def axe_violations(page) -> list[str]:
    # Imported here so that collecting the default suite needs no browser packages.
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if len(node["target"]) == 1 else str(node["target"])
            for node in violation["nodes"]
        )
        for violation in results.response["violations"]
    ]


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def elements_wider_than_viewport(page) -> list[str]:
    """Elements that stick out of a 320 px page, outside the scrollable table wrappers."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          for (const el of document.querySelectorAll("body *")) {
            if (el.parentElement.closest(".table-wrapper") || el.closest(".visually-hidden, .skip-link, dialog:not([open]), template")) continue;
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > width + 1 || box.left < -1)) {
              found.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""));
            }
          }
          return found.slice(0, 10);
        }"""
    )
