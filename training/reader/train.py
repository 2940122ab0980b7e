"""Step 2 of `npm run train:reader`: train the quote reader, export it to int8 ONNX, print its metrics.

The reader is a cross-encoder: `[CLS] question [SEP] sentence [SEP]` through all-MiniLM-L6-v2's six
layers, then
  - a score (a logit) from the [CLS] vector: does this sentence answer the question?
  - start and end logits over the sentence's tokens: where is the answer inside it?
Each training question is a group: one sentence that holds the answer and `--negatives` others from
the bot's own candidates (training/reader/candidates.ts: the same article's sentences about the
subject, and other articles the first stage ranked high). The loss is
  - a softmax over the group (pick the answering sentence among its neighbours),
  - plus a binary cross-entropy per sentence (so the score means the same across questions: it decides
    "not covered"), and
  - for the answering sentence, the span's start and end.
A share of the groups (`--no-answer`) drop their answering sentences: a question on the subject that
its candidates cannot answer, which must score low everywhere. The word embeddings stay frozen
(they are most of the parameters and SQuAD's vocabulary is narrower than news).
"""
import argparse
import json
import os
import random
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn

from bert import load_base


class Reader(nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert
        self.dropout = nn.Dropout(0.1)
        self.score = nn.Linear(384, 1)
        self.span = nn.Linear(384, 2)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.bert(input_ids, attention_mask, token_type_ids)
        score = self.score(self.dropout(x[:, 0])).squeeze(-1)
        start, end = sentence_only(self.span(x), attention_mask, token_type_ids)
        return score, start, end


def sentence_only(span, attention_mask, token_type_ids):
    """Start and end logits where only the sentence's own tokens (segment 1, not the last [SEP]) may start or end an answer."""
    allowed = (token_type_ids == 1) & (attention_mask == 1)
    allowed = allowed & torch.roll(allowed, shifts=-1, dims=1)
    span = span.masked_fill(~allowed.unsqueeze(-1), -10000.0)
    return span[..., 0], span[..., 1]


def cpu_has_bf16():
    """bfloat16 matrix units (AMX, AVX-512 BF16) make autocast about twice as fast; without them it is slower than fp32."""
    try:
        flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def read_jsonl(path):
    with open(path, encoding="utf8") as f:
        return [json.loads(line) for line in f]


def answers_by_id(squad_files):
    answers = {}
    for file in squad_files:
        for article in json.load(open(file, encoding="utf8"))["data"]:
            for p in article["paragraphs"]:
                for qa in p["qas"]:
                    answers[qa["id"]] = [a["text"] for a in qa["answers"]]
    return answers


class Encoder:
    """Question + context + sentence → token ids, as src/embedding/reader.ts builds them:
    `[CLS] question [SEP] context [SEP] sentence [SEP]` (context: the article's title and the sentence
    before, src/search/reader-context.ts), question and context as segment 0, the sentence as segment 1
    (only its tokens may hold the answer). The question keeps at most half of `max_len`, the context at
    most `context_len` tokens, the sentence the rest."""

    def __init__(self, tokenizer_file, max_len, context_len):
        self.tok = Tokenizer.from_file(tokenizer_file)
        self.tok.no_padding()
        self.tok.no_truncation()
        self.max_len = max_len
        self.context_len = context_len

    def pieces(self, text):
        return self.tok.encode(text, add_special_tokens=False)

    def encode(self, question, sentence, answer=None, context=""):
        q = self.pieces(question).ids[: self.max_len // 2]
        c = self.pieces(context).ids[: self.context_len] if self.context_len and context else []
        head = [CLS] + q + [SEP] + (c + [SEP] if c else [])
        s = self.pieces(sentence)
        keep = max(1, self.max_len - len(head) - 1)
        ids = head + s.ids[:keep] + [SEP]
        types = [0] * len(head) + [1] * (len(ids) - len(head))
        start = end = -1
        if answer:
            at = sentence.lower().find(answer.lower())
            if at >= 0:
                a0, a1 = at, at + len(answer)
                for i, (c0, c1) in enumerate(s.offsets[:keep]):
                    if c1 > c0 and c1 > a0 and c0 < a1:
                        if start < 0:
                            start = len(head) + i
                        end = len(head) + i
        return ids, types, start, end


CLS, SEP = 101, 102


def optimizer_for(model, lr, steps, heads=("score", "span")):
    """AdamW with the heads at ten times the encoder's learning rate, warm-up over the first 5% of the steps, then linear decay."""
    head = [p for n, p in model.named_parameters() if n.startswith(heads)]
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith(heads)]
    optimizer = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": head, "lr": lr * 10}], weight_decay=0.01)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    return optimizer, schedule


def update(model, optimizer, schedule, loss):
    """One step: gradients clipped to norm 1."""
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()


def make_groups(rows, answers, rng, negatives, no_answer):
    groups = []
    for row in rows:
        cands = row["candidates"]
        pos = [c for c in cands if c["label"] == 1]
        neg = [c for c in cands if c["label"] == 0]
        if len(neg) < negatives:
            continue
        # Hard negatives first: half from the 8 best-ranked non-answers, the rest from the others.
        hard, rest = neg[:8], neg[8:]
        k_hard = min(len(hard), (negatives + 1) // 2)
        chosen = rng.sample(hard, k_hard) + rng.sample(rest, min(len(rest), negatives - k_hard))
        if len(chosen) < negatives:
            chosen += rng.sample([c for c in hard if c not in chosen], negatives - len(chosen))
        if not pos or rng.random() < no_answer:
            # Nothing here answers: the whole group must score low (binary loss only).
            extra = [c for c in neg if c not in chosen]
            members = chosen + extra[:1]
            groups.append({"q": row["question"], "items": [(c["text"], 0, None, c.get("context", "")) for c in members], "has_answer": False})
        else:
            p = rng.choice(pos)
            answer = next((a for a in answers.get(row["id"], []) if a.lower() in p["text"].lower()), None)
            items = [(p["text"], 1, answer, p.get("context", ""))] + [(c["text"], 0, None, c.get("context", "")) for c in chosen]
            groups.append({"q": row["question"], "items": items, "has_answer": True})
    return groups


def batch_tensors(encoded):
    width = max(len(ids) for ids, _, _, _ in encoded)
    n = len(encoded)
    ids = torch.zeros((n, width), dtype=torch.long)
    types = torch.zeros((n, width), dtype=torch.long)
    mask = torch.zeros((n, width), dtype=torch.long)
    for i, (a, t, _, _) in enumerate(encoded):
        ids[i, : len(a)] = torch.tensor(a)
        types[i, : len(t)] = torch.tensor(t)
        mask[i, : len(a)] = 1
    return ids, mask, types


def forward_in_passes(model, encoded, rows_per_pass):
    """The model over `encoded` in passes of `rows_per_pass` rows of like length: a batch of groups
    mixes short and long inputs, and padding every row to the longest made about 40% of the tokens
    computed padding; sorted passes cut that to about 12%. Attention masks make the outputs the same
    either way. Scores come back in the batch's order; start/end logits padded to the longest row."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    width = max(len(ids) for ids, _, _, _ in encoded)
    per_pass = rows_per_pass or len(order)
    scores, starts, ends = [], [], []
    for at in range(0, len(order), per_pass):
        score, start, end = model(*batch_tensors([encoded[i] for i in order[at : at + per_pass]]))
        pad = (0, width - start.shape[1])
        scores.append(score)
        starts.append(nn.functional.pad(start, pad, value=-10000.0))
        ends.append(nn.functional.pad(end, pad, value=-10000.0))
    back = torch.tensor(order).argsort()
    return torch.cat(scores)[back], torch.cat(starts)[back], torch.cat(ends)[back]


@torch.no_grad()
def evaluate(model, encoder, rows, answers, top):
    """Share of questions whose best sentence (among the first `top` candidates) holds the answer: reader against the fitted order,
    and the ceiling both share (some candidate holds it); span token F1."""
    model.eval()
    reader_hits = base_hits = ceiling = 0
    f1s = []
    for row in rows:
        cands = row["candidates"][:top]
        if not cands:
            continue
        encoded = [encoder.encode(row["question"], c["text"], None, c.get("context", "")) for c in cands]
        score, start, end = model(*batch_tensors(encoded))
        best = int(score.argmax())
        reader_hits += cands[best]["label"]
        ceiling += any(c["label"] for c in cands)
        base_hits += cands[0]["label"]
        if cands[best]["label"] == 1:
            ids = encoded[best][0]
            s, e = span_of(start[best], end[best])
            predicted = encoder.tok.decode(ids[s : e + 1])
            f1s.append(max(token_f1(predicted, a) for a in answers[row["id"]]))
    n = len(rows)
    return {"questions": n, "reader_top1": round(reader_hits / n, 4), "fitted_top1": round(base_hits / n, 4), "answer_in_candidates": round(ceiling / n, 4), "span_f1": round(float(np.mean(f1s)), 4) if f1s else None}


def span_of(start, end, max_tokens=30):
    """The best start ≤ end within max_tokens."""
    s = start.unsqueeze(1) + end.unsqueeze(0)
    n = s.shape[0]
    valid = torch.triu(torch.ones(n, n, dtype=torch.bool)) & ~torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=max_tokens)
    s = s.masked_fill(~valid, -1e9)
    flat = int(s.argmax())
    return flat // n, flat % n


def normalize(text):
    import re
    import string

    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def token_f1(prediction, truth):
    p, t = normalize(prediction).split(), normalize(truth).split()
    common = sum(min(p.count(w), t.count(w)) for w in set(p))
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(t)
    return 2 * precision * recall / (precision + recall)


def export(model, encoder, out_dir, sample_question, sample_sentences):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    out_dir = Path(out_dir)
    (out_dir / "onnx").mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "onnx" / "model_fp32.onnx"
    encoded = [encoder.encode(sample_question, s, None, c) for s, c in sample_sentences]
    ids, mask, types = batch_tensors(encoded)
    torch.onnx.export(
        model,
        (ids, mask, types),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["score", "start_logits", "end_logits"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in ["input_ids", "attention_mask", "token_type_ids", "start_logits", "end_logits"]} | {"score": {0: "batch"}},
        opset_version=14,
        dynamo=False,
    )
    quantized = out_dir / "onnx" / "model_quantized.onnx"
    quantize_dynamic(str(fp32), str(quantized), weight_type=QuantType.QInt8)
    os.remove(fp32)
    return quantized


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--squad", nargs="+", required=True, help="SQuAD files the candidates came from (for the answer texts)")
    ap.add_argument("--base", required=True, help="fp32 ONNX of the base encoder (all-MiniLM-L6-v2; any 384-wide BERT export of the same shape loads)")
    ap.add_argument("--layers", type=int, default=6, help="the base's first N layers (all-MiniLM-L6-v2 has 6, bge-small-en-v1.5 12)")
    ap.add_argument("--base-name", default="all-MiniLM-L6-v2", help="the base's name, for config.json")
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--groups", type=int, default=0, help="at most this many training groups (0: all)")
    ap.add_argument("--negatives", type=int, default=7)
    ap.add_argument("--no-answer", type=float, default=0.15)
    ap.add_argument("--batch-groups", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1.5e-4, help="peak learning rate of the encoder; the heads get ten times it (1.5e-4 beat 6e-5 on 4,000 groups and in full: docs/quality.md)")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--context-len", type=int, default=24, help="tokens of context (title, sentence before) read before the sentence; 0: none")
    ap.add_argument("--eval-top", type=int, default=12)
    ap.add_argument("--eval-questions", type=int, default=600)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rows-per-pass", type=int, default=16, help="rows of like length per forward pass (0: the whole batch in one pass)")
    ap.add_argument("--bf16", choices=["auto", "on", "off"], default="auto", help="bfloat16 autocast for training (auto: when the CPU has AMX or AVX-512 BF16)")
    args = ap.parse_args()
    bf16 = args.bf16 == "on" or (args.bf16 == "auto" and cpu_has_bf16())

    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    answers = answers_by_id(args.squad)
    encoder = Encoder(args.tokenizer, args.max_len, args.context_len)
    groups = make_groups(read_jsonl(args.train), answers, rng, args.negatives, args.no_answer)
    rng.shuffle(groups)
    groups = groups[: args.groups or None]
    dev = [r for r in read_jsonl(args.dev) if r["part"] == "validation"]
    dev = dev[:: max(1, len(dev) // args.eval_questions)][: args.eval_questions]

    model = Reader(load_base(args.base, args.layers))
    model.bert.word.weight.requires_grad_(False)
    steps = (len(groups) + args.batch_groups - 1) // args.batch_groups
    optimizer, schedule = optimizer_for(model, args.lr, steps)
    print(json.dumps({"step": "start", "groups": len(groups), "with_answer": sum(g["has_answer"] for g in groups), "steps": steps, "dev_questions": len(dev), "threads": args.threads, "bf16": bf16}), flush=True)

    started = time.time()
    pairs = 0
    for step in range(steps):
        model.train()
        batch = groups[step * args.batch_groups : (step + 1) * args.batch_groups]
        encoded, labels, owners = [], [], []
        for g, group in enumerate(batch):
            for text, label, answer, context in group["items"]:
                encoded.append(encoder.encode(group["q"], text, answer if label else None, context))
                labels.append(label)
                owners.append(g)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            score, start, end = forward_in_passes(model, encoded, args.rows_per_pass)
        score, start, end = score.float(), start.float(), end.float()
        y = torch.tensor(labels, dtype=torch.float)
        loss = nn.functional.binary_cross_entropy_with_logits(score, y)
        offset = 0
        listwise, spans = [], []
        for g, group in enumerate(batch):
            n = len(group["items"])
            if group["has_answer"]:
                listwise.append(nn.functional.cross_entropy(score[offset : offset + n].unsqueeze(0), torch.tensor([0])))
                _, _, s, e = encoded[offset]
                if s >= 0:
                    spans.append(nn.functional.cross_entropy(start[offset : offset + 1], torch.tensor([s])) + nn.functional.cross_entropy(end[offset : offset + 1], torch.tensor([e])))
            offset += n
        if listwise:
            loss = loss + torch.stack(listwise).mean()
        if spans:
            loss = loss + 0.5 * torch.stack(spans).mean()
        update(model, optimizer, schedule, loss)
        pairs += len(encoded)
        if step % 50 == 0 or step == steps - 1:
            elapsed = time.time() - started
            print(json.dumps({"step": step, "of": steps, "loss": round(loss.item(), 4), "pairs_per_s": round(pairs / elapsed, 1), "minutes": round(elapsed / 60, 1)}), flush=True)
        if step > 0 and step % 500 == 0:
            torch.save(model.state_dict(), Path(args.out) / "checkpoint.pt") if Path(args.out).exists() else None

    metrics = evaluate(model, encoder, dev, answers, args.eval_top)
    print(json.dumps({"step": "validation", **metrics, "train_minutes": round((time.time() - started) / 60, 1)}), flush=True)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), Path(args.out) / "checkpoint.pt")
    sample = dev[0]
    quantized = export(model, encoder, args.out, sample["question"], [(c["text"], c.get("context", "")) for c in sample["candidates"][:4]])
    # What src/embedding/reader.ts needs to build the same inputs.
    (Path(args.out) / "config.json").write_text(json.dumps({
        "architecture": f"cross-encoder: {args.base_name} ({args.layers} layers x 384) + a score from [CLS] + start/end logits per token",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"],
        "outputs": ["score", "start_logits", "end_logits"],
        "max_length": args.max_len,
        "max_context_tokens": args.context_len,
        "max_answer_tokens": 30,
    }, indent=2) + "\n")
    (Path(args.out) / "training-metrics.json").write_text(json.dumps({**metrics, "groups": len(groups), "seed": args.seed, "bf16": bf16, "train_minutes": round((time.time() - started) / 60, 1), "args": vars(args)}, indent=2) + "\n")
    print(json.dumps({"step": "exported", "file": str(quantized), "bytes": quantized.stat().st_size}), flush=True)


if __name__ == "__main__":
    main()
