"""bench/scale as a module, for the bench scripts that reuse its lab, machine description,
audit-trail metrics and result names (bench/profile_scale, bench/runbook_ratio). Python puts
a script's own folder first on its import path, so they `from scale_module import scale`."""
import importlib.machinery
import importlib.util
from pathlib import Path


def _load():
    loader = importlib.machinery.SourceFileLoader("bench_scale",
                                                  str(Path(__file__).resolve().parent / "scale"))
    spec = importlib.util.spec_from_loader("bench_scale", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


scale = _load()
