"""Writes the ONNX fixtures of this folder from PyTorch itself (see README.md).

    apt-get install python3-torch   # Debian 12: PyTorch 1.13.1; or pip install torch
    python3 make_mlp.py             # writes into pytorch/ beside this script

mlp-16-8-3.onnx         nn.Sequential(Linear(16, 8), ReLU(), Linear(8, 3)) on a [batch, 16] input: Gemm + Relu
mlp-16-8-3-matmul.onnx  the same network on a [batch, 1, 16] input: MatMul + Add + Relu
conv-mlp.onnx           nn.Sequential(Conv2d(1, 2, 3), Flatten(), Linear(8, 3)): the import must refuse node '/0/Conv'
mlp-16-8-3.json         the inputs and PyTorch's logits for them
"""
import inspect
import json
import os

import torch
from torch import nn

SEED = 20261202
SAMPLES = 5
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch")


def export(model, example, name, batch_axes):
    options = dict(
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": batch_axes, "output": batch_axes},
        opset_version=17,
        do_constant_folding=True,
    )
    # The TorchScript exporter writes the Gemm / MatMul graphs the importer documents;
    # newer PyTorch defaults to the dynamo exporter unless told otherwise.
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        options["dynamo"] = False
    torch.onnx.export(model, example, os.path.join(HERE, name), **options)


def main():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(SEED)
    mlp = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
    inputs = torch.rand(SAMPLES, 16) * 2 - 1
    export(mlp, inputs, "mlp-16-8-3.onnx", {0: "batch_size"})
    export(mlp, inputs.unsqueeze(1), "mlp-16-8-3-matmul.onnx", {0: "batch_size"})

    conv = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 3)).eval()
    export(conv, torch.rand(1, 1, 4, 4), "conv-mlp.onnx", {0: "batch_size"})

    with torch.no_grad():
        logits = mlp(inputs)
    with open(os.path.join(HERE, "mlp-16-8-3.json"), "w") as f:
        json.dump(
            {
                "sizes": [16, 8, 3],
                "seed": SEED,
                "producer": f"pytorch {torch.__version__} (make_mlp.py)",
                "inputs": inputs.tolist(),
                "logits": logits.tolist(),
            },
            f,
            indent=2,
        )


if __name__ == "__main__":
    main()
