import { loadConfig } from '../config.js';
import { buildApiHandler } from './api-app.js';
import { buildDeps } from './deps.js';

/** Lambda entry of the HTTP API (API Gateway HTTP API, payload 2.0). Clients are built once per container. */
export const handler = buildApiHandler(buildDeps(loadConfig()));
