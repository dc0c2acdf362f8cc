"""A YAML loader that refuses duplicate keys, shared by every file-reading adapter.

YAML silently keeps the last of two equal keys; in hand-written clinical content that hides a
mistake, so both text packs and the exercise library read through this loader.
"""

from __future__ import annotations

from collections.abc import Hashable

import yaml


class StrictSafeLoader(yaml.SafeLoader):
    """``SafeLoader`` that rejects duplicate keys, which YAML would silently overwrite."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable):
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
    return loader.construct_mapping(node)


StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
