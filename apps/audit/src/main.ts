import { Logger } from '@nestjs/common';
import { bootstrapApp } from '../../platform/src/bootstrap';
import { AuditModule } from './audit.module';

/** `npm run start:audit`: the auditor's API alone (distributed mode); the read models it verifies are fed elsewhere. */
void bootstrapApp({ name: 'audit', features: [AuditModule] }).catch((error) => {
  new Logger('bootstrap').error((error as Error)?.stack ?? String(error));
  process.exit(1);
});
