"""One name per organization on the pages: the upstream spells some organizations several ways
(`DeepSeek` / `DeepSeek AI`), which would split their seats in 厂商格局. The checked-in table
config/organization_aliases.csv maps each known spelling to one canonical name. The file is read
at each report run (not cached), so an edit shows on the next pages without a restart."""

import csv
from collections.abc import Mapping
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

# The top-level config/ folder through the package (a link in the source tree, a copy in a wheel).
DEFAULT_ALIASES = resources.files("arena_pipeline") / "config" / "organization_aliases.csv"


def load_organization_aliases(path: Path | Traversable = DEFAULT_ALIASES) -> dict[str, str]:
    """{casefolded alias: canonical name}; a bad row stops with its file and line."""
    aliases: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        numbered = [(n, line) for n, line in enumerate(handle, start=1)
                    if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return aliases
    reader = csv.DictReader(line for _, line in numbered)
    missing = {"alias", "canonical"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"{path}: line {numbered[0][0]}: header lacks {sorted(missing)}")
    for (line_no, _), row in zip(numbered[1:], reader, strict=True):
        alias, canonical = (row.get("alias") or "").strip(), (row.get("canonical") or "").strip()
        if not alias or not canonical:
            raise ValueError(f"{path}: line {line_no}: alias and canonical are both needed, "
                             f"got {alias!r} -> {canonical!r}")
        key = alias.casefold()
        if aliases.get(key, canonical) != canonical:
            raise ValueError(f"{path}: line {line_no}: alias {alias!r} maps to both "
                             f"{aliases[key]!r} and {canonical!r}")
        aliases[key] = canonical
    for key, canonical in aliases.items():
        if canonical.casefold() in aliases and aliases[canonical.casefold()] != canonical:
            raise ValueError(f"{path}: canonical name {canonical!r} (for {key!r}) is itself an "
                             f"alias of {aliases[canonical.casefold()]!r}; map straight to the end")
    return aliases


def canonical_organization(name: object, aliases: Mapping[str, str]) -> object:
    """The canonical name of a published organization; anything not in the table as it is."""
    if not isinstance(name, str):
        return name
    return aliases.get(name.strip().casefold(), name)
