"""Settings are declared once, read from the environment and documented in the README."""

from __future__ import annotations

import pytest

from dashboard.config import PROJECT_ROOT, Settings, SettingsError, documented_settings


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env for env, _, _ in documented_settings() if f"`{env}`" not in readme]
    assert not missing, f"settings not in README.md: {missing}"


def test_defaults_are_local_and_debug_off():
    settings = Settings.defaults()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8050
    assert settings.debug is False
    assert settings.data_dir == PROJECT_ROOT / "data"


def test_environment_overrides_defaults(tmp_path):
    settings = Settings.from_env(
        {"VRU_PORT": "9000", "VRU_DEBUG": "yes", "VRU_DATA_DIR": str(tmp_path)}
    )
    assert (settings.port, settings.debug, settings.data_dir) == (9000, True, tmp_path)


@pytest.mark.parametrize(
    ("env", "raw"), [("VRU_PORT", "eighty"), ("VRU_DEBUG", "maybe"), ("VRU_LOG_LEVEL", "LOUD")]
)
def test_bad_values_name_the_variable(env, raw):
    with pytest.raises(SettingsError, match=env):
        Settings.from_env({env: raw})
