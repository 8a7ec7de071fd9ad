import { ApiProperty } from '@nestjs/swagger';
import { SubmissionAnswer } from '@trialstream/write-side';

export class ProtocolVersionView {
  @ApiProperty() version: number;
  @ApiProperty({ example: 'anti-mag-rituximab' }) protocolId: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2026-06-01', description: 'From this date on, data are judged by this version' }) effectiveFrom: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the protocol file' }) sourceSha256: string;
  @ApiProperty({ description: 'The version in force today' }) inForce: boolean;
}

export class ProtocolActivationAnswer extends SubmissionAnswer {
  @ApiProperty({ example: 'anti-mag-rituximab', description: "The protocol's id" }) protocol: string;
}
