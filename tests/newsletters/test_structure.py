"""Subscribers (`services`), sending (`sending`) and the background tasks (`tasks`) import each
other in one direction, but for one loop: `tasks` runs the sending and `sending` queues tasks
(imported inside the function). (The page content's loop, models -> blocks -> selectors ->
models, is Wagtail's usual one: a block reads rows when it renders.)"""

import ast
from pathlib import Path

import portal.newsletters

PACKAGE = Path(portal.newsletters.__file__).parent


def local_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "portal.newsletters."
        ):
            names.add(node.module.split(".")[2])
    return names


def test_the_only_import_loop_is_tasks_and_sending():
    graph = {path.stem: local_imports(path) for path in PACKAGE.glob("*.py")}
    loops = set()
    for module, imported in graph.items():
        for other in imported:
            stack, seen = [other], set()
            while stack:
                current = stack.pop()
                if current == module:
                    loops.add(frozenset((module, other)))
                    break
                if current in seen:
                    continue
                seen.add(current)
                stack.extend(graph.get(current, ()))
    operations = {"services", "sending", "tasks"}
    assert {loop for loop in loops if loop & operations} == {frozenset(("tasks", "sending"))}


def test_subscribers_and_sending_are_separate_modules():
    services = (PACKAGE / "services.py").read_text()
    assert "smtplib" not in services and "claim" not in services
    assert len(services.splitlines()) < 400
