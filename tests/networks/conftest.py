"""Fixtures for the pure-Keras tests."""

import keras
import pytest


@pytest.fixture
def forward_only_on_torch():
    """Run a forward-only check without autograd on PyTorch, where ``np.asarray``
    refuses tensors that require grad; a no-op on the other backends.

    Modules of such checks use it with ``pytestmark``; a test in them that trains
    turns gradients back on around its ``fit``.
    """
    if keras.backend.backend() != "torch":
        yield
        return
    import torch

    with torch.no_grad():
        yield
