"""A small BERT encoder in plain PyTorch, loaded from a sentence-transformers ONNX export.

The base weights come as an fp32 ONNX file (LangChain4j's all-MiniLM-L6-v2 jar on Maven Central).
Its initializers keep the HF names of embeddings, biases and LayerNorms; each weight matrix is an
anonymous MatMul initializer (stored transposed: x @ W), whose consumer Add names the bias
(`encoder.layer.N.attention.self.query.bias`), so the name of the matrix is the bias's name with
`weight` in place of `bias`. Written out here (about 80 lines) rather than taken from `transformers`
so the exported graph is plain and the code does not change with that library's versions.
"""
import math

import onnx
import torch
from onnx import numpy_helper
from torch import nn


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, intermediate: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads
        split = lambda y: y.view(b, t, self.heads, d).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + mask_bias
        context = (self.dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.attention_norm(x + self.dropout(self.attention_out(context)))
        y = self.output(nn.functional.gelu(self.intermediate(x)))
        return self.output_norm(x + self.dropout(y))


class Bert(nn.Module):
    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, intermediate=1536, positions=512, dropout=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(positions, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(hidden, heads, intermediate, dropout) for _ in range(layers))

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids)
        x = self.dropout(self.embedding_norm(x))
        # Padding gets a large negative bias before the softmax (not -inf: int8 export stays finite).
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask_bias)
        return x


# Our parameter names -> the HF names the ONNX file uses (per layer `{}` is the layer number).
LAYER_NAMES = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention_out": "attention.output.dense",
    "attention_norm": "attention.output.LayerNorm",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
    "output_norm": "output.LayerNorm",
}


def onnx_weights(path: str) -> dict:
    """HF-named tensors from the ONNX file: named initializers as they are, MatMul matrices named by their Add's bias."""
    model = onnx.load(path)
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    consumers = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    named = dict(inits)
    for node in model.graph.node:
        if node.op_type != "MatMul":
            continue
        matrix = next((x for x in node.input if x in inits), None)
        if matrix is None:
            continue
        adds = [c for c in consumers.get(node.output[0], []) if c.op_type == "Add"]
        bias = next((x for c in adds for x in c.input if x in inits and x.endswith(".bias")), None)
        if bias is None:
            raise ValueError(f"MatMul {matrix} has no named bias: not the expected export")
        named[bias[: -len("bias")] + "weight"] = inits[matrix].T  # ONNX computes x @ W; nn.Linear holds W^T
    return named


def load_base(path: str, layers: int = 6) -> Bert:
    """A Bert with the ONNX file's weights (its first `layers` layers)."""
    w = onnx_weights(path)
    bert = Bert(layers=layers)
    t = lambda name: torch.tensor(w[name].copy())  # noqa: E731
    state = {
        "word.weight": t("embeddings.word_embeddings.weight"),
        "position.weight": t("embeddings.position_embeddings.weight"),
        "token_type.weight": t("embeddings.token_type_embeddings.weight"),
        "embedding_norm.weight": t("embeddings.LayerNorm.weight"),
        "embedding_norm.bias": t("embeddings.LayerNorm.bias"),
    }
    for n in range(layers):
        for ours, theirs in LAYER_NAMES.items():
            for part in ("weight", "bias"):
                state[f"layers.{n}.{ours}.{part}"] = t(f"encoder.layer.{n}.{theirs}.{part}")
    bert.load_state_dict(state)
    return bert
