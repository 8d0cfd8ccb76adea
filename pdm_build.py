"""Build hook of pdm-backend (pyproject.toml): the wheel ships the top-level texts/ folder's registry
and fictional sample corpus inside the package, as wtcompare/texts, so that a plain `pip install .`
works from any folder (`wtcompare.registry.bundled_texts_dir`). The files are those the sdist takes
from texts/ (`source-includes`), and no others: a clone also keeps there the official editions it
fetches, which are not shipped. An editable install reads the repository's texts/ itself."""

from __future__ import annotations

from typing import Any


def pdm_build_update_files(context: Any, files: dict[str, Any]) -> None:
    if context.target != "wheel":
        return
    for pattern in context.config.build_config.source_includes:
        for path in sorted(context.root.glob(pattern)):
            relative = path.relative_to(context.root).as_posix()
            if path.is_file() and relative.startswith("texts/"):
                files.pop(relative, None)
                files[f"wtcompare/{relative}"] = path
