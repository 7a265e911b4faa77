#!/usr/bin/env python3
"""card-load-check.py README.md [model|dataset]: load a card as huggingface_hub
does and print its metadata as JSON (exit 1 when it does not load).

With huggingface_hub importable, this is ModelCard.load / DatasetCard.load
themselves (ignore_metadata_errors=False, so a bad model-index fails). Without
it, the same steps written out (docs/hub-cards.md §1 and §8): the front-matter
regex of repocard.py (REGEX_YAML_BLOCK), yaml.safe_load, "must be a dict", and
for a model the model-index → eval results conversion's required fields.
The first line of output says which of the two ran."""
import json
import re
import sys

path = sys.argv[1]
kind = sys.argv[2] if len(sys.argv) > 2 else "model"

try:
    import huggingface_hub  # noqa: F401
    from huggingface_hub import DatasetCard, ModelCard

    cls = DatasetCard if kind == "dataset" else ModelCard
    card = cls.load(path, ignore_metadata_errors=False)
    print("loader: huggingface_hub " + huggingface_hub.__version__)
    print(json.dumps(card.data.to_dict(), sort_keys=True))
    sys.exit(0)
except ImportError:
    pass

import yaml

REGEX_YAML_BLOCK = re.compile(r"^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))")

with open(path, encoding="utf-8") as f:
    content = f.read()
match = REGEX_YAML_BLOCK.search(content)
if match is None:
    sys.exit("no front matter")
data = yaml.safe_load(match.group(2)) or {}
if not isinstance(data, dict):
    sys.exit("repo card metadata block should be a dict")
if kind == "model":
    for model in data.get("model-index", []):
        name = model["name"]
        for result in model["results"]:
            assert result["task"]["type"], name
            assert result["dataset"]["type"] and result["dataset"]["name"], name
            for metric in result["metrics"]:
                assert metric["type"] and "value" in metric, name
print("loader: PyYAML " + yaml.__version__ + " with repocard.py's rules")
print(json.dumps(data, sort_keys=True))
