import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import type { Response } from 'express';
import { aPrincipal } from '@trialstream/auth/testing';
import type { AccessLog } from '@trialstream/write-side';
import type { EventLog } from '../log/event-log';
import type { ExportAllocation } from './export-allocation';
import { ExportsController } from './exports.controller';

describe('an export that could not be recorded', () => {
  const emptyLog = { all: async () => ({ events: [], horizon: '0' }) } as unknown as EventLog;
  const failingAccessLog = { record: async () => Promise.reject(new Error('the log is unreachable')) } as unknown as AccessLog;
  const stillBlinded = { armsFor: async () => undefined } as unknown as ExportAllocation;
  const controller = new ExportsController(
    emptyLog,
    failingAccessLog,
    ANTI_MAG_RITUXIMAB_PROTOCOL,
    () => new Date('2026-06-01T12:00:00Z'),
    stillBlinded,
  );
  const auditor = aPrincipal({ role: 'auditor' });

  it.each([
    ['ODM', (response: Response) => controller.odm(auditor, response)],
    ['SDTM', (response: Response) => controller.sdtm(auditor, 'LB', response)],
  ])('is not handed out (%s): the request fails before anything is sent', async (_format, exportIt) => {
    const response = { setHeader: jest.fn() } as unknown as Response;
    await expect(exportIt(response)).rejects.toThrow('the log is unreachable');
    expect(response.setHeader).not.toHaveBeenCalled();
  });
});
