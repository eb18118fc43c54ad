"""The content apps' import layers (docs/architecture.md), checked on the source.

Bottom to top, a module imports only from its own layer or the ones below, and
never a project module inside a function:

1. base: money, blocks, content cache, the shared content models, structured
   data, the preview mixin (no page model, nothing above);
2. home.queries, the API's serializer fields and the studio's API shapes;
3. home.selectors: the only module below the top that reads blog or the shop;
4. page models: home.models and blog.models (siblings: neither imports the other);
5. everything else: API endpoints and loader, template tags, views, feeds,
   factories, the demo tooling, site/.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED_APPS = ("home", "blog", "site")
PROJECT_APPS = (*CHECKED_APPS, "packages")

LAYERS = {
    "home.money": 1,
    "home.blocks": 1,
    "home.content_cache": 1,
    "home.performance.generation": 1,
    "home.performance.prefetch": 1,
    "home.performance.prepared": 1,
    "home.performance.folded": 1,
    "home.performance.known": 1,
    "home.performance.page_urls": 1,
    "home.performance.storage": 1,
    "home.performance.url_tag": 1,
    "home.performance.text_filters": 1,
    "home.performance.dates": 1,
    "home.performance.instances": 1,
    "home.performance.listings": 1,
    "home.performance.renditions": 1,
    "home.performance.wagtail_internals": 1,
    "home.performance.text": 1,
    "home.performance.responses": 1,
    "home.performance.queries": 2,
    "home.base_models": 1,
    "home.structured_data": 1,
    "home.api.preview": 1,
    "home.queries": 2,
    "home.api.fields": 2,
    "home.api.studio": 2,
    "home.selectors": 3,
    "home.performance.page_routing": 3,
    "home.models": 4,
    "blog.models": 4,
}
TOP = 5
# Below the top, only the selectors read the shop, and only through its read layer.
SHOP_READS = {"home.selectors": {"packages.selectors"}}
# Tooling on top of everything, allowed to reach into blog and the shop directly.
TOOLING = ("home.demo",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    sources = {}
    for app in PROJECT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and "__pycache__" not in path.parts:
                sources[_module_name(path)] = path
    return sources


SOURCES = _sources()


def _resolve(name: str) -> str | None:
    while name:
        if name in SOURCES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported project module, line, inside a function) for every import in ``module``."""
    path = SOURCES[module]
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                names = [f"{base}.{alias.name}" for alias in child.names]
            for name in names:
                target = _resolve(name)
                if target is not None and target != module:
                    found.append((target, child.lineno, inner))
            visit(child, inner)

    visit(tree, False)
    return found


CHECKED = sorted(m for m in SOURCES if m.split(".")[0] in CHECKED_APPS)
GRAPH = {m: {target for target, _, _ in _imports(m)} for m in SOURCES}


def _layer(module: str) -> int:
    return LAYERS.get(module, TOP)


def _is_package_init(module: str) -> bool:
    return SOURCES[module].name == "__init__.py"


def test_no_project_import_inside_a_function():
    inside = [
        f"{module}:{line} -> {target}"
        for module in CHECKED
        for target, line, in_function in _imports(module)
        if in_function
    ]
    assert inside == []


def test_each_module_imports_only_from_the_layers_below():
    wrong = []
    for module in (m for m in CHECKED if _layer(m) < TOP):
        for target in sorted(GRAPH[module]):
            if target.split(".")[0] == "packages":
                if target not in SHOP_READS.get(module, set()):
                    wrong.append(f"{module} -> {target} (the shop)")
            elif _is_package_init(target):
                continue  # home/, home/api/: empty packages
            elif _layer(target) > _layer(module) or _layer(target) == _layer(module) == 4:
                wrong.append(f"{module} (layer {_layer(module)}) -> {target} (layer {_layer(target)})")
    assert wrong == []


def test_home_reaches_blog_and_the_shop_only_through_the_selectors():
    wrong = [
        f"{module} -> {target}"
        for module in CHECKED
        if module.startswith("home") and module != "home.selectors" and not module.startswith(TOOLING)
        for target in sorted(GRAPH[module])
        if target.split(".")[0] in ("blog", "packages")
    ]
    assert wrong == []


def test_no_import_cycles_in_the_content_apps():
    """No cycle through any module of home/, blog/ or site/ (function-level imports included)."""
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 and any(m.split(".")[0] in CHECKED_APPS for m in component):
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            connect(module)
    assert cycles == []
