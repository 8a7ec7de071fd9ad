import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { startTestApp, TestApp } from '../support/app';

/** What class-validator records per decorator (its own type is not exported). */
interface ValidationMetadata {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
}

interface PropertySchema {
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: { enum?: unknown[] };
}

/** Every validator class-validator knows, by class name (the OpenAPI schema names are the DTO class names). */
function validatorsByClass(): Map<string, ValidationMetadata[]> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, ValidationMetadata[]> };
  const byName = new Map<string, ValidationMetadata[]>();
  for (const [target, metadata] of storage.validationMetadatas) byName.set(target.name, [...(byName.get(target.name) ?? []), ...metadata]);
  return byName;
}

describe('the OpenAPI document says what the validators accept', () => {
  let app: TestApp;
  let schemas: Record<string, { properties?: Record<string, PropertySchema>; required?: string[] }>;

  beforeAll(async () => {
    app = await startTestApp([IngestModule, MonitoringModule, AnalysisModule, AuditModule]);
    schemas = SwaggerModule.createDocument(app.app, new DocumentBuilder().build()).components?.schemas as typeof schemas;
  });
  afterAll(() => app?.close());

  it('has, for every documented field, the same enum, bounds and optionality as its validators', () => {
    const validators = validatorsByClass();
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      const metadata = validators.get(name);
      if (!metadata) continue;
      for (const [property, documented] of Object.entries(schema.properties ?? {})) {
        const rules = metadata.filter((m) => m.propertyName === property);
        if (rules.length === 0) continue;
        compared++;
        const constraint = (type: string) => rules.find((m) => m.name === type || m.type === type)?.constraints?.[0] as unknown;
        const isIn = constraint('isIn') as unknown[] | undefined;
        const documentedEnum = documented.enum ?? documented.items?.enum;
        if (isIn && JSON.stringify([...isIn].sort()) !== JSON.stringify([...(documentedEnum ?? [])].sort())) {
          mismatches.push(`${name}.${property}: enum ${JSON.stringify(documentedEnum)} documented, ${JSON.stringify(isIn)} accepted`);
        }
        const min = constraint('min') as number | undefined;
        if (min !== undefined && documented.minimum !== undefined && documented.minimum !== min)
          mismatches.push(`${name}.${property}: minimum ${documented.minimum} documented, ${min} accepted`);
        const max = constraint('max') as number | undefined;
        if (max !== undefined && documented.maximum !== undefined && documented.maximum !== max)
          mismatches.push(`${name}.${property}: maximum ${documented.maximum} documented, ${max} accepted`);
        const optional = rules.some((m) => m.type === 'conditionalValidation');
        const required = (schema.required ?? []).includes(property);
        if (optional === required)
          mismatches.push(
            `${name}.${property}: ${required ? 'required' : 'optional'} documented, ${optional ? 'optional' : 'required'} validated`,
          );
      }
    }
    if (process.env.CONTRACT_DEBUG) console.log(compared, mismatches);
    expect(compared).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });
});
