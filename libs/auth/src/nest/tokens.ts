export { DATA_SOURCE } from '../../../database/src/nest/database.module';
