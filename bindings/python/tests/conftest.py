import pytest

import rumod


@pytest.fixture(scope="session")
def engine() -> rumod.Engine:
    return rumod.Engine.default()
