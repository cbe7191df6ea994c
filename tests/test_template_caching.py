"""Compiled templates: kept for the life of a process, and (with JINJA2_BYTECODE_CACHE, as in
production and benchmarks) written to disk for the next worker to load instead of compiling."""

from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.test import override_settings
from jinja2 import FileSystemBytecodeCache

from portal.frontend.jinja import environment


def _engine_environment():
    engine = engines["jinja2"]
    assert isinstance(engine, Jinja2)
    return engine.env


def _environment():
    return environment(loader=_engine_environment().loader.loaders[0])


def test_every_template_stays_compiled_and_nothing_reloads_without_debug(settings):
    env = _engine_environment()
    assert isinstance(env.cache, dict)  # Jinja's unbounded cache (cache_size=-1), not an LRU
    assert settings.DEBUG is False
    assert env.auto_reload is False


@override_settings(JINJA2_BYTECODE_CACHE=True)
def test_a_new_worker_loads_compiled_templates_from_the_bytecode_cache():
    first = _environment()
    assert isinstance(first.bytecode_cache, FileSystemBytecodeCache)
    name = "layouts/base.html"
    first.get_template(name)
    second = _environment()
    source, filename, _uptodate = second.loader.get_source(second, name)
    bucket = second.bytecode_cache.get_bucket(second, name, filename, source)
    assert bucket.code is not None


@override_settings(JINJA2_BYTECODE_CACHE=False)
def test_without_the_setting_nothing_is_written():
    assert _environment().bytecode_cache is None


@override_settings(JINJA2_BYTECODE_CACHE=True)
def test_a_worker_without_a_usable_temporary_directory_still_starts(monkeypatch, caplog):
    monkeypatch.setattr("tempfile.gettempdir", lambda: "/proc/no-such-directory")
    env = _environment()
    assert env.bytecode_cache is None
    assert "bytecode cache unavailable" in caplog.text
    assert env.get_template("layouts/base.html") is not None
