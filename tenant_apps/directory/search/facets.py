"""Facet groups for the template: each filter's options with their counts and state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Option:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[Option]
    is_flag: bool = False


def facet_groups(form, counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """Options worth showing: those with matches, and those already ticked (count 0)."""
    data = getattr(form, "cleaned_data", {})
    groups = []
    for name in form.facet_names:
        field = form.fields[name]
        if not hasattr(field, "choices"):
            count = counts.get(name, {}).get("on", 0)
            options = [Option("on", str(field.label), count, bool(data.get(name)))]
            groups.append(FacetGroup(name, str(field.label), options, is_flag=True))
            continue
        chosen = {str(value) for value in data.get(name) or []}
        labels = {str(value): str(label) for value, label in field.choices}
        options = [
            Option(value, labels[value], count, value in chosen)
            for value, count in counts.get(name, {}).items()
            if value in labels
        ]
        options += [Option(value, labels[value], 0, True) for value in chosen if value not in counts.get(name, {})]
        options.sort(key=lambda option: (-option.count, option.label))
        groups.append(FacetGroup(name, str(field.label), options))
    return groups
