import { ApiProperty } from '@nestjs/swagger';
import { PatientSubmissionAnswer, SubmissionAnswer } from '@trialstream/write-side';

/** Where the trial stands (`TrialState`); each step is final. */
export class TrialStateView {
  @ApiProperty({ enum: ['open', 'frozen', 'locked', 'unblinded'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) frozenAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lockedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) unblindedAt: string | null;
}

export class TrialProtocolVersionView {
  @ApiProperty() version: number;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the protocol file' }) sourceSha256: string;
  @ApiProperty() id: string;
  @ApiProperty() title: string;
}

export class TrialProtocolVersions {
  @ApiProperty({ type: [TrialProtocolVersionView] }) items: TrialProtocolVersionView[];
}

export class TrialStepAnswer extends SubmissionAnswer {
  @ApiProperty({ enum: ['freeze', 'lock', 'unblinding'] }) trial: string;
}

/** The emergency code-break: the arm is answered to the requester alone, never stored, logged or published. */
export class CodeBreakAnswer extends PatientSubmissionAnswer {
  @ApiProperty({ example: 'K-0042' }) kitNumber: string;
  @ApiProperty({ example: 'rituximab' }) arm: string;
}
