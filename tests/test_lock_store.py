"""The lock store and the number of Sanic workers come from .env."""

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import read_endpoint_config

from bot import settings
from bot.lock_store import EnvLockStore, SerialisedRedisLockStore
from tests.conftest import PROJECT_ROOT

LOCK_VARIABLES = (
    "LOCK_STORE_TYPE",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_DB",
    "REDIS_PASSWORD",
    "REDIS_USE_SSL",
    "LOCK_STORE_KEY_PREFIX",
    "SANIC_WORKERS",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in LOCK_VARIABLES:
        monkeypatch.setenv(name, "")  # so that the test's changes are undone afterwards
        monkeypatch.delenv(name)
    # endpoints.yml also names this variable; Rasa refuses unset ones.
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")


def test_endpoints_name_the_lock_store_class_and_no_connection_details():
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "lock_store")
    assert config.type == "bot.lock_store.EnvLockStore"
    assert config.url is None and config.kwargs == {}


def test_in_memory_by_default():
    assert isinstance(LockStore.create(_endpoint()), InMemoryLockStore)


def test_redis_with_every_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("LOCK_STORE_TYPE", "redis")
    monkeypatch.setenv("REDIS_HOST", "redis.intern")
    monkeypatch.setenv("REDIS_PORT", "6380")
    monkeypatch.setenv("REDIS_DB", "3")
    monkeypatch.setenv("REDIS_PASSWORD", "geheim")
    monkeypatch.setenv("REDIS_USE_SSL", "true")
    monkeypatch.setenv("LOCK_STORE_KEY_PREFIX", "meldcode")
    store = LockStore.create(_endpoint())  # Redis connects lazily: no server needed
    assert isinstance(store, SerialisedRedisLockStore) and isinstance(store, RedisLockStore)
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.intern", 6380, 3)
    assert connection["password"] == "geheim"
    assert store.red.connection_pool.connection_class.__name__ == "SSLConnection"
    assert store.key_prefix == "meldcode:lock:"


def test_redis_defaults(monkeypatch):
    monkeypatch.setenv("LOCK_STORE_TYPE", "Redis")
    assert settings.redis_lock_store() == {
        "host": "localhost",
        "port": 6379,
        "db": 1,
        "password": None,
        "use_ssl": False,
        "key_prefix": None,
    }


def test_unknown_lock_store_type_is_refused_with_the_choices(monkeypatch):
    monkeypatch.setenv("LOCK_STORE_TYPE", "memcached")
    with pytest.raises(settings.SettingsError, match="in_memory of redis"):
        EnvLockStore()


@pytest.mark.parametrize(
    "lock_store, wanted, kept",
    [
        ("redis", "4", "4"),
        ("in_memory", "1", "1"),
        ("in_memory", "4", "1"),
        ("memcached", "4", "1"),
        ("redis", "0", "1"),
        ("redis", "veel", "1"),
    ],
)
def test_several_sanic_workers_only_with_redis(monkeypatch, capsys, lock_store, wanted, kept):
    monkeypatch.setenv("LOCK_STORE_TYPE", lock_store)
    monkeypatch.setenv("SANIC_WORKERS", wanted)
    settings.limit_sanic_workers()
    assert settings.os.environ["SANIC_WORKERS"] == kept
    warning = capsys.readouterr().err
    if kept == wanted:
        assert warning == ""
    else:
        assert f"SANIC_WORKERS={wanted} wordt 1" in warning
    if lock_store == "in_memory" and wanted != kept:
        assert "LOCK_STORE_TYPE=redis" in warning


def test_load_environment_sets_the_defaults(monkeypatch, tmp_path):
    settings.load_environment(tmp_path / "geen.env")
    assert settings.os.environ["LOCK_STORE_TYPE"] == "in_memory"
    assert settings.os.environ["SANIC_WORKERS"] == "1"


def _endpoint():
    return read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "lock_store")


def test_the_mutex_keys_are_outside_rasas_lock_keys(monkeypatch):
    monkeypatch.setenv("LOCK_STORE_TYPE", "redis")
    monkeypatch.setenv("LOCK_STORE_KEY_PREFIX", "meldcode")
    store = EnvLockStore()
    assert store.mutex_namespace == "lockmutex:meldcode:"
    assert not store.mutex_namespace.startswith(store.key_prefix)
    monkeypatch.delenv("LOCK_STORE_KEY_PREFIX")
    store = EnvLockStore()
    assert store.mutex_namespace == "lockmutex:" and not "lockmutex:".startswith(store.key_prefix)
