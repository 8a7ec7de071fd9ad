import { bootstrapApp, startOrExit } from '../../platform/src/bootstrap';
import { AuditModule } from './audit.module';

/** `npm run start:audit`: the auditor's API alone (distributed mode); the read models it verifies are fed elsewhere. */
startOrExit(() => bootstrapApp({ name: 'audit', features: [AuditModule] }));
