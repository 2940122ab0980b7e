"""The answer marker: a second small model that marks the answer inside a quoted sentence.

The reader (train.py) learns its score and its span head together, on 13,000 answering sentences;
its span head stays under the 80% token F1 the project asks before replies mark the answer
(72.5%). More span data in the reader's own training would move its score, and every quote with it;
one more layer trained for the span on top of the reader's frozen layers reached only 74.8%
(docs/quality.md, "Marking the answer"). So the marker is a model of its own: the reader's six
layers and span head (dequantized from its int8 file; all-MiniLM-L6-v2's word embeddings), trained
further on the answering sentences of SQuAD-train questions (training/reader/spans.ts, about
86,000), each read as the reader reads it (`[CLS] question [SEP] context [SEP] sentence [SEP]`).
At question time it reads only the sentences quoted (one to three), not the twelve the reader reads.

Step 5 of `npm run train:reader` (train-reader.sh), after the reader. On all 85,830 sentences (71 minutes here) it
reached 81.9% on the 600 watched questions in fp32, 80.2% as int8 with one scale per output column (the default; one
per matrix gave 79.1%), and 80.2% through the pipeline: the committed models/answer-marker (its README.md). With --out
beside the reader's folder, it names itself in the reader's config.json, which is what makes the bot load it. Alone:
  npx tsx training/reader/spans.ts --file ../shared/datasets/squad-v1.1-train/train-v1.1.json --out .cache/reader/spans-train.jsonl
  npx tsx training/reader/candidates.ts --file ../shared/datasets/squad-v1.1-dev-half/dev-half.json --part tuning --questions 600 --out .cache/reader/dev-tuning-ctx.jsonl
  cd training/reader && ../../.cache/reader/venv/bin/python train_marker.py \
    --spans ../../.cache/reader/spans-train.jsonl --reader ../../models/quote-reader/onnx/model_quantized.onnx \
    --dev ../../.cache/reader/dev-ctx.jsonl --tuning ../../.cache/reader/dev-tuning-ctx.jsonl --base ../../.cache/reader/base/all-minilm-l6-v2.onnx \
    --squad ../../../shared/datasets/squad-v1.1-train/train-v1.1.json ../../../shared/datasets/squad-v1.1-dev-half/dev-half.json \
    --tokenizer ../../models/quote-reader/tokenizer.json --out ../../models/answer-marker
"""
import argparse
import json
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from bert import LAYER_NAMES, load_base
from train import Encoder, answers_by_id, batch_tensors, cpu_has_bf16, optimizer_for, read_jsonl, sentence_only, span_of, token_f1, update


class Marker(nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert
        self.span = nn.Linear(384, 2)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return sentence_only(self.span(self.bert(input_ids, attention_mask, token_type_ids)), attention_mask, token_type_ids)


def encode_row(encoder, row):
    """Token ids as the reader reads them, with the answer's first and last token (from its character offset)."""
    ids, types, _, _ = encoder.encode(row["question"], row["text"], None, row["context"])
    head = types.index(1)
    pieces = encoder.pieces(row["text"])
    a0, a1 = row["at"], row["at"] + len(row["answer"])
    hits = [head + i for i, (c0, c1) in enumerate(pieces.offsets[: len(ids) - head - 1]) if c1 > c0 and c1 > a0 and c0 < a1]
    if not hits:
        return None  # the answer was cut off with the sentence's end
    return ids, types, hits[0], hits[-1]


def reader_weights(model_file, layers):
    """The trained reader's weights as the marker's state (all but the word embeddings, which the reader kept frozen
    at the base's values), dequantized from its int8 graph: each MatMul's int8 matrix times its scale."""
    graph = onnx.load(model_file).graph
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in graph.initializer}
    nodes = {n.name: n for n in graph.node}

    def dequantize(name, zero_name, scale_name):
        return (inits[name].astype(np.float32) - inits[zero_name].astype(np.float32)) * inits[scale_name]

    def matrix(node_name):  # x @ w in ONNX: nn.Linear holds w^T
        q = nodes[node_name].input[1]
        return torch.tensor(dequantize(q, nodes[node_name].input[3], q.replace("_quantized", "_scale")).T.copy())

    t = lambda name: torch.tensor(inits[name].copy())  # noqa: E731
    state = {
        "bert.position.weight": torch.tensor(dequantize("bert.position.weight_quantized", "bert.position.weight_zero_point", "bert.position.weight_scale")),
        "bert.token_type.weight": torch.tensor(dequantize("bert.token_type.weight_quantized", "bert.token_type.weight_zero_point", "bert.token_type.weight_scale")),
        "bert.embedding_norm.weight": t("bert.embedding_norm.weight"),
        "bert.embedding_norm.bias": t("bert.embedding_norm.bias"),
        "span.weight": matrix("/span/MatMul_quant"),
        "span.bias": t("span.bias"),
    }
    for n in range(layers):
        for ours in LAYER_NAMES:
            key = f"bert.layers.{n}.{ours}"
            state[f"{key}.weight"] = t(f"{key}.weight") if ours.endswith("norm") else matrix(f"/bert/layers.{n}/{ours}/MatMul_quant")
            state[f"{key}.bias"] = t(f"{key}.bias")
    return state


def ort_session(model_file, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


def ort_feed(input_ids, attention_mask, token_type_ids):
    return {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy(), "token_type_ids": token_type_ids.numpy()}


class ReaderScores:
    """The committed reader's scores (ONNX Runtime), to pick the sentence the bot would quote."""

    def __init__(self, model_file, threads):
        self.session = ort_session(model_file, threads)

    def __call__(self, encoded):
        return self.session.run(["score", "start_logits", "end_logits"], ort_feed(*batch_tensors(encoded)))


class MarkerFile:
    """An exported marker (ONNX Runtime), called as the torch model is: what the bot will run."""

    def __init__(self, model_file, threads):
        self.session = ort_session(model_file, threads)

    def eval(self):
        pass

    def __call__(self, input_ids, attention_mask, token_type_ids):
        return [torch.from_numpy(x) for x in self.session.run(["start_logits", "end_logits"], ort_feed(input_ids, attention_mask, token_type_ids))]


@torch.no_grad()
def evaluate(reader, marker, encoder, dev, answers, top):
    """On the watched questions: the reader's best sentence among the first `top` candidates, and when it holds the answer,
    the token F1 of the answer marked in it, by the reader's own span head and by the marker."""
    marker.eval()
    own, ours = [], []
    for row in dev:
        cands = row["candidates"][:top]
        if not cands:
            continue
        encoded = [encoder.encode(row["question"], c["text"], None, c.get("context", "")) for c in cands]
        score, start, end = reader(encoded)
        best = int(np.argmax(score))
        if cands[best]["label"] != 1:
            continue
        s2, e2 = marker(*batch_tensors([encoded[best]]))
        for (s, e), out in ((span_of(torch.from_numpy(start[best]), torch.from_numpy(end[best])), own), (span_of(s2[0], e2[0]), ours)):
            predicted = encoder.tok.decode(encoded[best][0][s : e + 1])
            out.append(max(token_f1(predicted, a) for a in answers[row["id"]]))
    return {"questions": len(dev), "best_holds_answer": len(own), "span_f1_reader": round(float(np.mean(own)), 4), "span_f1_marker": round(float(np.mean(ours)), 4)}


def export(marker, encoder, out_dir, sample, per_channel, keep_fp32=None):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    marker.eval()
    (out_dir / "onnx").mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "onnx" / "model_fp32.onnx"
    encoded = [encoder.encode(sample["question"], c["text"], None, c.get("context", "")) for c in sample["candidates"][:4]]
    torch.onnx.export(
        marker,
        batch_tensors(encoded),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["start_logits", "end_logits"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ["input_ids", "attention_mask", "token_type_ids", "start_logits", "end_logits"]},
        opset_version=14,
        dynamo=False,
    )
    quantized = out_dir / "onnx" / "model_quantized.onnx"
    # One scale per output column: with one per matrix, the full run lost 2.8 points of token F1 to int8 (docs/quality.md).
    quantize_dynamic(str(fp32), str(quantized), weight_type=QuantType.QInt8, per_channel=per_channel)
    if keep_fp32:
        fp32.rename(keep_fp32)
    else:
        fp32.unlink()
    onnx.checker.check_model(str(quantized))
    return quantized


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spans", required=True, help="training/reader/spans.ts's output")
    ap.add_argument("--reader", required=True, help="the trained reader's int8 ONNX (picks the sentence evaluated)")
    ap.add_argument("--dev", required=True, help="validation questions with their candidates (the reported number)")
    ap.add_argument("--tuning", help="tuning questions with their candidates: watched during training and reported, to choose runs on")
    ap.add_argument("--squad", nargs="+", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", choices=["reader", "base"], default="reader", help="start from the trained reader's weights (its span head included) or from the base's")
    ap.add_argument("--keep-fp32", help="also keep the fp32 ONNX, here (to try other quantizations)")
    ap.add_argument("--quantize", choices=["channel", "tensor"], default="channel", help="int8 scales per output column of each matrix, or one per matrix")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--rows", type=int, default=0, help="at most this many training rows (0: all)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-4, help="peak learning rate of the encoder; the head gets ten times it")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--context-len", type=int, default=24)
    ap.add_argument("--eval-top", type=int, default=12)
    ap.add_argument("--eval-questions", type=int, default=600)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", choices=["auto", "on", "off"], default="auto")
    args = ap.parse_args()
    bf16 = args.bf16 == "on" or (args.bf16 == "auto" and cpu_has_bf16())
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)

    encoder = Encoder(args.tokenizer, args.max_len, args.context_len)
    answers = answers_by_id(args.squad)
    reader = ReaderScores(args.reader, args.threads)
    marker = Marker(load_base(args.base))
    if args.init == "reader":
        missing, unexpected = marker.load_state_dict(reader_weights(args.reader, 6), strict=False)
        assert missing == ["bert.word.weight"] and not unexpected, (missing, unexpected)
    marker.bert.word.weight.requires_grad_(False)
    dev = [r for r in read_jsonl(args.dev) if r["part"] == "validation"]
    dev = dev[:: max(1, len(dev) // args.eval_questions)][: args.eval_questions]
    # Runs are compared on the tuning questions; the validation number is reported, never chosen on.
    tuning = [r for r in read_jsonl(args.tuning) if r["part"] == "tuning"][: args.eval_questions] if args.tuning else []
    watched = tuning or dev

    rows = [r for r in (encode_row(encoder, row) for row in read_jsonl(args.spans)) if r]
    rng.shuffle(rows)
    rows = rows[: args.rows or None]
    order = [rows[i % len(rows)] for i in range(int(len(rows) * args.epochs))]
    # Batches of like length (sorted within windows of 50 batches), in a shuffled order: less padding.
    window = args.batch * 50
    batches = []
    for at in range(0, len(order), window):
        chunk = sorted(order[at : at + window], key=lambda r: len(r[0]))
        batches += [chunk[i : i + args.batch] for i in range(0, len(chunk), args.batch)]
    rng.shuffle(batches)
    print(json.dumps({"step": "start", "rows": len(rows), "batches": len(batches), "bf16": bf16, "threads": args.threads, "init": args.init}), flush=True)
    print(json.dumps({"step": "before", **evaluate(reader, marker, encoder, watched[:200], answers, args.eval_top)}), flush=True)

    optimizer, schedule = optimizer_for(marker, args.lr, len(batches), heads=("span",))
    started, seen = time.time(), 0
    for step, batch in enumerate(batches):
        marker.train()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            start, end = marker(*batch_tensors(batch))
        loss = nn.functional.cross_entropy(start.float(), torch.tensor([r[2] for r in batch])) + nn.functional.cross_entropy(end.float(), torch.tensor([r[3] for r in batch]))
        update(marker, optimizer, schedule, loss)
        seen += len(batch)
        if step % 200 == 0 or step == len(batches) - 1:
            elapsed = time.time() - started
            print(json.dumps({"step": step, "of": len(batches), "loss": round(loss.item(), 4), "rows_per_s": round(seen / elapsed, 1), "minutes": round(elapsed / 60, 1)}), flush=True)
        if step > 0 and step % 1000 == 0:
            print(json.dumps({"step": step, "watch": evaluate(reader, marker, encoder, watched[:200], answers, args.eval_top)}), flush=True)

    metrics = evaluate(reader, marker, encoder, dev, answers, args.eval_top)
    if tuning:
        metrics["tuning"] = evaluate(reader, marker, encoder, tuning, answers, args.eval_top)
    minutes = round((time.time() - started) / 60, 1)
    print(json.dumps({"step": "validation", **metrics, "train_minutes": minutes}), flush=True)
    out = Path(args.out)
    quantized = export(marker, encoder, out, dev[0], args.quantize == "channel", args.keep_fp32)
    # The numbers of the file the bot loads: int8 moves them (docs/quality.md, "Marking the answer").
    shipped = MarkerFile(quantized, args.threads)
    metrics["int8"] = {"span_f1_marker": evaluate(reader, shipped, encoder, dev, answers, args.eval_top)["span_f1_marker"]}
    if tuning:
        metrics["int8"]["tuning_span_f1_marker"] = evaluate(reader, shipped, encoder, tuning, answers, args.eval_top)["span_f1_marker"]
    print(json.dumps({"step": "int8", **metrics["int8"]}), flush=True)
    (out / "config.json").write_text(json.dumps({
        "architecture": "the quote reader's 6 layers x 384 (all-MiniLM-L6-v2) trained further for start/end logits per token of the sentence" if args.init == "reader" else "all-MiniLM-L6-v2 (6 layers x 384) + start/end logits per token of the sentence",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["start_logits", "end_logits"],
        "max_length": args.max_len,
        "max_context_tokens": args.context_len,
        "max_answer_tokens": 30,
    }, indent=2) + "\n")
    # What src/embedding/reader.ts loads besides the model: the reader's tokenizer, unchanged.
    shutil.copy(args.tokenizer, out / "tokenizer.json")
    shutil.copy(Path(__file__).parent / "tokenizer_config.json", out / "tokenizer_config.json")
    # The reader names its marker when they sit side by side (models/quote-reader, models/answer-marker): src/embedding/reader.ts
    # then loads it with the reader. A marker written elsewhere (an experiment) leaves the reader as it is.
    reader_config = Path(args.reader).parent.parent / "config.json"
    if reader_config.exists() and out.resolve().parent == reader_config.parent.resolve().parent:
        config = json.loads(reader_config.read_text())
        config["answer_marker"] = os.path.relpath(out.resolve(), reader_config.parent.resolve())
        reader_config.write_text(json.dumps(config, indent=2) + "\n")
    (out / "training-metrics.json").write_text(json.dumps({**metrics, "rows": len(rows), "seed": args.seed, "bf16": bf16, "train_minutes": minutes, "args": vars(args)}, indent=2) + "\n")
    print(json.dumps({"step": "exported", "file": str(quantized), "bytes": quantized.stat().st_size}), flush=True)


if __name__ == "__main__":
    main()
