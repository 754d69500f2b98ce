"""One shape for every vendor: what a user learns in one package holds in the others.

Each registered vendor package has the same modules, a client built the same way (base URL
first, credentials keyword-only, ``from_env``, ``login``, ``with_options``, a context
manager, ``call_raw``), the shared errors re-exported, a ``to_backup_runs`` adapter and a
simulator with the same attribute names. The shared layer imports and names none of them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import backup_sdk
from backup_sdk import errors as shared_errors
from backup_sdk.client import BaseClient
from backup_sdk.runs import BackupRun
from backup_sdk.testing import SimulatorServer
from backup_sdk.vendors import Vendor, vendors

VENDOR_IDS = ["comet", "cove", "npm_backup"]
COMMON_MODULES = [
    "client",
    "models",
    "enums",
    "errors",
    "runs",
    "vendor",
    "demo",
    "testing",
    "testing.simulator",
]
SHARED_ERRORS = [
    "BackupSDKError",
    "APIError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "OperationTimeoutError",
    "ResponseDecodeError",
    "ConfigurationError",
]


def test_the_three_vendors_register_themselves() -> None:
    assert sorted(vendors()) == VENDOR_IDS


@pytest.fixture(params=VENDOR_IDS)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    return vendors()[request.param]


def test_common_module_set(vendor: Vendor) -> None:
    for name in COMMON_MODULES:
        module = importlib.import_module(f"{vendor.package}.{name}")
        assert module.__doc__, f"{module.__name__} has no docstring"
        if name not in ("testing", "vendor", "demo"):
            assert getattr(module, "__all__", None), f"{module.__name__} has no __all__"


def test_one_vendor_id_everywhere(vendor: Vendor) -> None:
    client_cls = vendor.load("client")
    assert client_cls.vendor == vendor.name
    assert client_cls.package == vendor.package
    assert vendor.env_prefix == vendor.name.upper()
    assert vendor.load("simulator").__module__ == f"{vendor.package}.testing.simulator"


def _constructor_parameters(cls: type) -> list[inspect.Parameter]:
    """The constructor as users see it: the first typed overload where ``__init__`` is
    overloaded (read from the source, so it works on every Python), else its signature."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "__init__"
            and any(
                getattr(d, "id", getattr(d, "attr", "")) == "overload" for d in node.decorator_list
            )
        ):
            a = node.args
            kinds = [
                *[(x.arg, inspect.Parameter.POSITIONAL_ONLY) for x in a.posonlyargs],
                *[(x.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD) for x in a.args],
                *[(x.arg, inspect.Parameter.KEYWORD_ONLY) for x in a.kwonlyargs],
            ]
            return [inspect.Parameter(name, kind) for name, kind in kinds]
    return list(inspect.signature(cls.__init__).parameters.values())  # type: ignore[misc]


def test_client_constructor_convention(vendor: Vendor) -> None:
    client_cls = vendor.load("client")
    assert issubclass(client_cls, BaseClient)
    params = _constructor_parameters(client_cls)
    assert [p.name for p in params[:2]] == ["self", "base_url"]
    assert params[1].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    rest = {p.name: p.kind for p in params[2:]}
    for credential in ("username", "password"):
        if credential in rest:
            assert rest[credential] is inspect.Parameter.KEYWORD_ONLY, credential
    for method in ("from_env", "login", "with_options", "call_raw", "close"):
        assert callable(getattr(client_cls, method, None)), f"{client_cls.__name__}.{method}"
    assert hasattr(client_cls, "__enter__") and hasattr(client_cls, "__exit__")


def test_errors_re_exported(vendor: Vendor) -> None:
    package = importlib.import_module(vendor.package)
    errors_module = importlib.import_module(f"{vendor.package}.errors")
    for name in SHARED_ERRORS:
        shared = getattr(shared_errors, name)
        assert getattr(package, name) is shared, f"{vendor.package}.{name}"
        assert getattr(errors_module, name) is shared, f"{vendor.package}.errors.{name}"
        assert name in package.__all__


def test_runs_adapter(vendor: Vendor) -> None:
    runs_module = importlib.import_module(f"{vendor.package}.runs")
    adapter = runs_module.to_backup_runs
    assert vendor.load("runs") is adapter
    returned = inspect.signature(adapter).return_annotation
    assert returned in ("list[BackupRun]", list[BackupRun]), returned
    assert vendor.run_source, f"{vendor.name} has no run source"


def test_simulator_convention(vendor: Vendor) -> None:
    simulator_cls = vendor.load("simulator")
    assert issubclass(simulator_cls, SimulatorServer)
    signature = inspect.signature(simulator_cls.__init__)
    assert all(
        p.kind is inspect.Parameter.KEYWORD_ONLY
        for p in list(signature.parameters.values())[1:]
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    )
    assert "clock" in signature.parameters
    with simulator_cls() as sim:
        assert isinstance(sim.username, str) and sim.username
        assert isinstance(sim.password, str) and sim.password
        assert sim.base_url.startswith("http://127.0.0.1:")
        env = sim.env()
        assert env[f"{vendor.env_prefix}_URL"] == sim.base_url
        assert env[f"{vendor.env_prefix}_USERNAME"] == sim.username
        assert env[f"{vendor.env_prefix}_PASSWORD"] == sim.password
        assert sim.logins == 0
        with vendor.load("client").from_env(env) as client:
            client.login()
        assert sim.logins == 1
        with sim.client() as client:
            client.login()
        assert sim.logins == 2


# --- the shared layer names no vendor ----------------------------------------------------


def _shared_sources() -> list[Path]:
    root = Path(backup_sdk.__file__).parent
    return sorted(root.rglob("*.py"))


def _code_strings(tree: ast.AST) -> list[str]:
    """String constants in code, docstrings left out (prose may give examples)."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_shared_layer_imports_no_vendor_package() -> None:
    packages = {v.package for v in vendors().values()}
    offenders = {
        str(path): sorted(_imported(ast.parse(path.read_text())) & packages)
        for path in _shared_sources()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_shared_layer_names_no_vendor_in_code() -> None:
    words = {v.package for v in vendors().values()} | set(VENDOR_IDS)
    found = {}
    for path in _shared_sources():
        strings = _code_strings(ast.parse(path.read_text()))
        hits = sorted(
            {s for s in strings if s.lower() in words or any(w in s for w in words if "_" in w)}
        )
        if hits:
            found[str(path)] = hits
    assert found == {}


def test_importing_the_shared_layer_loads_no_vendor() -> None:
    code = (
        "import sys, backup_sdk, backup_sdk.cli, backup_sdk.vendors, backup_sdk.testing\n"
        "import backup_sdk.runs, backup_sdk.models, backup_sdk.transport\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'cove_sdk','comet_sdk','npm_backup_sdk'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    # vendors load only when asked for (backup_sdk.vendors.vendors())
    assert ast.literal_eval(out.stdout) == []
