import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

export const DocParams = z.object({ docId: z.string() });
export const who = (request: FastifyRequest): string => request.clerk!.username;
export const ip = (request: FastifyRequest): string => request.ip;
