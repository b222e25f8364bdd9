"""The answer tests' shared helpers live in answer_helpers.py; their asserts are rewritten like a test's."""

import pytest

pytest.register_assert_rewrite("answer_helpers")
