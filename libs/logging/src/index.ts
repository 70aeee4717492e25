export { createLogger, NestPinoLogger, type Logger } from './logger';
