"""CP Assistant: cited answers to cleaner-production and compliance questions, offline.

The environment defaults below must be in place before huggingface_hub, gradio or chromadb
are imported (they read them at import time), so they live in the package's first module.
"""

import os

_OFFLINE_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
for _name, _value in _OFFLINE_DEFAULTS.items():
    os.environ.setdefault(_name, _value)

__version__ = "0.1.0"
