import pytest

from tests.directory.registry import build


@pytest.fixture
def registry(platform_a, org_a, other_org_a, org_b):
    return build(platform_a, org_a, other_org_a)
