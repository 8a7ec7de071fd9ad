import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { can, isBlinded, type Principal, siteScope } from '@trialstream/auth';
import { PROTOCOL } from '@trialstream/config';
import { isUnblinded, type ProtocolDefinition, TRIAL_RULE, type TrialState } from '@trialstream/domain';
import { AccessLog } from '@trialstream/write-side';
import type { ReadFilter } from '../read/analysis-reader';
import { TrialStatusReader } from '../read/trial-status';

/** What one reader may be given by the analysis API, decided once per request. */
export interface ReaderView {
  trial: TrialState;
  /** Never given an arm or a masked analyte (blinded statistician, monitor, site, administrator). */
  blinded: boolean;
  filter: ReadFilter;
  /** Arms may accompany per-patient data: an unblinded role, after unblinding. */
  armsVisible: boolean;
}

/** Per-arm reads: efficacy needs the unblinding; safety is open to the safety board before it. */
export type PerArmRead = 'efficacy' | 'safety';

/**
 * The blinding rules of the analysis API in one place. While blinded, every role gets pooled results;
 * blinded roles never get a masked analyte. Per-arm results need the unblinded permission and the
 * TrialUnblinded event, except per-arm safety for the data safety board, which watches the arms'
 * adverse events while the trial runs. Every per-arm read is an audited AccessRecorded event.
 */
@Injectable()
export class ReaderAccess {
  constructor(
    private readonly trialStatus: TrialStatusReader,
    private readonly accessLog: AccessLog,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
  ) {}

  async viewOf(principal: Principal): Promise<ReaderView> {
    const trial = await this.trialStatus.current();
    const blinded = isBlinded(principal);
    const scope = siteScope(principal);
    return {
      trial,
      blinded,
      filter: { sites: scope.allSites ? null : scope.siteIds, maskedAnalytes: blinded ? this.protocol.maskedAnalytes : [] },
      armsVisible: !blinded && can(principal, 'read-analysis-unblinded') && isUnblinded(trial),
    };
  }

  /**
   * Opens a per-arm read or refuses it with 403 `trial-blinded`; the read is recorded before anything
   * is answered. The route itself already required 'read-analysis-unblinded'.
   */
  async openPerArmRead(principal: Principal, kind: PerArmRead, resource: string, detail: Record<string, unknown>): Promise<ReaderView> {
    const view = await this.viewOf(principal);
    const safetyBoardException = kind === 'safety' && principal.role === 'safety_board';
    if (view.blinded || (!isUnblinded(view.trial) && !safetyBoardException)) {
      throw ApiError.forbidden(
        view.blinded ? `the ${principal.role} role is blinded` : 'the trial is still blinded: per-arm results open with the unblinding',
        [{ field: 'trial', rule: view.blinded ? 'permission' : TRIAL_RULE.trialBlinded }],
      );
    }
    await this.accessLog.record(principal, { action: 'unblinded-read', resource, detail: { ...detail, trialStatus: view.trial.status } });
    return view;
  }

  /** An unblinded reader given per-patient arms: recorded like every other unblinded read. */
  async recordArmsShown(principal: Principal, resource: string, detail: Record<string, unknown>): Promise<void> {
    await this.accessLog.record(principal, { action: 'unblinded-read', resource, detail });
  }

  async recordExport(principal: Principal, resource: string, detail: Record<string, unknown>): Promise<void> {
    await this.accessLog.record(principal, { action: 'export', resource, detail });
  }
}
