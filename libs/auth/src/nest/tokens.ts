/**
 * Injection token under which an app provides its open TypeORM `DataSource`. A plain string so that
 * any module providing 'DATA_SOURCE' satisfies it without importing this library.
 */
export const DATA_SOURCE = 'DATA_SOURCE';
