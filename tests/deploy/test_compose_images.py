"""Each image of docker-compose.yml can run the command compose gives it: built from a Dockerfile
at the repository root, installing the package its modules come from, slim and not as root."""

import re
import tomllib
from pathlib import Path

from tests.deploy.compose_file import PYTHON_SERVICES, ROOT, command_modules


def workspace_members() -> dict[str, tuple[Path, dict]]:
    """Import name -> (src folder, pyproject) for every workspace member with Python code."""
    members = {}
    pyprojects = [
        ROOT / "shared" / "pyproject.toml",
        *ROOT.glob("services/*/pyproject.toml"),
        *ROOT.glob("tools/*/pyproject.toml"),
        ROOT / "deploy" / "devstack" / "pyproject.toml",
    ]
    for pyproject in pyprojects:
        for package in (pyproject.parent / "src").iterdir():
            if (package / "__init__.py").is_file():
                members[package.name] = (package.parent, tomllib.loads(pyproject.read_text()))
    return members


def dockerfile(service: dict) -> Path:
    return ROOT / service["build"]["context"] / service["build"]["dockerfile"]


class TestImages:
    def test_each_python_service_builds_from_a_dockerfile_at_the_repo_root(self, services):
        for name in PYTHON_SERVICES:
            assert services[name]["build"]["context"] == ".", name
            assert dockerfile(services[name]).is_file(), name

    def test_commands_name_modules_that_exist(self, services):
        members = workspace_members()
        for name in PYTHON_SERVICES:
            modules = command_modules(services[name])
            assert modules, name
            for module in modules:
                src, _ = members[module.split(".")[0]]
                path = src.joinpath(*module.split("."))
                assert (path / "__main__.py").is_file() or path.with_suffix(".py").is_file(), module

    def test_each_image_installs_the_packages_its_commands_come_from(self, services):
        members = workspace_members()
        for name in PYTHON_SERVICES:
            text = dockerfile(services[name]).read_text()
            installed = set(re.findall(r"uv sync [^\n]*--package ([\w-]+)", text))
            assert len(installed) == 1, name
            for module in command_modules(services[name]):
                _, pyproject = members[module.split(".")[0]]
                owner = pyproject["project"]["name"]
                assert owner in installed or owner in _dependencies_of(members, installed), module

    def test_images_are_slim_and_run_as_a_user(self, services):
        for path in {dockerfile(services[name]) for name in PYTHON_SERVICES}:
            text = path.read_text()
            final_stage = text.rsplit("\nFROM ", 1)[1]
            assert final_stage.startswith("python:3.11-slim"), path.name
            (user,) = re.findall(r"^USER (\S+)$", final_stage, re.MULTILINE)
            assert user.split(":")[0] not in {"root", "0"}, path.name

    def test_api_image_serves_the_built_dashboard(self, services):
        text = dockerfile(services["api"]).read_text()
        assert "FROM node:20-slim AS frontend" in text
        assert "npm ci" in text and "npm run build" in text
        assert (ROOT / "frontend" / "package-lock.json").is_file(), "npm ci needs the lock"
        assert "NETRAVEN_FRONTEND_DIST=" in text


def _dependencies_of(members: dict[str, tuple[Path, dict]], packages: set[str]) -> set[str]:
    pyprojects = {pyproject["project"]["name"]: pyproject for _, pyproject in members.values()}
    return {dep for package in packages for dep in pyprojects[package]["project"]["dependencies"]}
