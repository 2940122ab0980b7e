import { existsSync } from 'node:fs';
import path from 'node:path';

// Tests use the real models. Offline, they live in ../shared/models beside the checkout;
// an explicit MODELS_DIR wins, and without either the hub is used (needs internet).
const sharedModels = path.resolve(import.meta.dirname, '../../shared/models');
if (!process.env.MODELS_DIR && existsSync(sharedModels)) process.env.MODELS_DIR = sharedModels;
process.env.LOG_LEVEL ??= 'silent';
