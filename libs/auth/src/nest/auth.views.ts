import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@trialstream/domain';
import { ACTIONS } from '../policy';

export class SessionUserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ana.martin' }) username: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String] }) siteIds: string[];
}

/** What login and `GET /auth/session` answer (`SessionView`); the session token itself is only in the cookie. */
export class SessionViewDoc {
  @ApiProperty({ type: SessionUserView }) user: SessionUserView;
  @ApiProperty({ description: 'Send it as `X-CSRF-Token` with every request that changes something' }) csrfToken: string;
  @ApiProperty({ format: 'date-time', description: 'Absolute end of the session' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', description: 'End of the session unless it is used before' }) idleExpiresAt: string;
}

/** A scoped, expiring API key (`ApiKeyRecord`): never the key itself, which is answered once. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The public part of the key, in its first characters' }) keyId: string;
  @ApiProperty({ type: String, nullable: true, description: "A person's key: the person" }) userId: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String] }) siteIds: string[];
  @ApiProperty({ enum: ACTIONS, isArray: true }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class ApiKeyIssued extends ApiKeyView {
  @ApiProperty({ description: 'The key: send it as `Authorization: Bearer <apiKey>`; answered this once, only its hash is kept' })
  apiKey: string;
}
