export * from './api-endpoint.decorator';
export * from './error-body.view';
export * from './schemas';
