import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@trialstream/domain';

/** A user as administrators list them (`UserRecord`): never a password, key or code. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String], example: ['S01'] }) siteIds: string[];
  @ApiProperty({ type: String, nullable: true, description: "The user's API key's id; null for a person who logs in" })
  keyId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null for a user with an API key only' }) username: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the user was deactivated' })
  revokedAt: string | null;
}

/** A user with an API key (created without `username`): the key is answered this once. */
export class KeyUserCreated extends UserView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ description: 'The API key: send it as `Authorization: Bearer <token>`; only its hash is kept' }) token: string;
}

/** A person (created with `username`), or a password reset: the one-time activation code is answered this once. */
export class ActivationCodeIssued {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'ana.martin' }) username: string;
  @ApiProperty({ description: 'Exchanged for a password at POST /auth/activate' }) activationCode: string;
}

/** Who the caller is. */
export class MeView {
  @ApiProperty({ description: "The user's id (a machine key's own id)" }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String] }) siteIds: string[];
}
