import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiEndpoint, ApiError } from '@trialstream/api-common';
import {
  Accounts,
  AnyAuthenticatedRole,
  CurrentPrincipal,
  Principal,
  RequirePermission,
  UserDirectory,
  UserRejectedError,
} from '@trialstream/auth';
import { ROLES, Role, type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ActivationCodeIssued, KeyUserCreated, MeView, UserView } from './user.views';

export class CreateUserDto {
  @ApiPropertyOptional({ example: 'ana.martin', description: 'a person who logs in with a password; without it, a user with an API key' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  username?: string;

  @ApiProperty({ example: 'Ana Coordinator' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    type: [String],
    example: ['S01'],
    default: [],
    description: 'one site for a coordinator or investigator, the assigned sites for a monitor; omitted for other roles',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  siteIds?: string[];
}

/** Users over HTTP, for administrators; the same rules as `npm run admin -- create-user`. */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UserDirectory,
    private readonly accounts: Accounts,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  /** A user's sites must exist: an administrator's typo would otherwise give a coordinator a site nobody runs. */
  private async assertActivated(siteIds: readonly string[]): Promise<void> {
    const violations = [];
    for (const [index, siteId] of siteIds.entries()) {
      if ((await this.store.streamVersion(this.streams.site(siteId))) === 0) {
        violations.push({ field: `siteIds[${index}]`, rule: 'activated-site', message: `site ${siteId} has not been activated` });
      }
    }
    if (violations.length > 0) throw ApiError.ruleViolations(violations);
  }

  /**
   * With a user name: a person, who gets a one-time activation code (answered once) to exchange for a
   * password at `POST /auth/activate`. Without: a user with an API key (answered once).
   */
  @ApiEndpoint({
    summary: 'Create a user: a person (with `username`) or a user with an API key',
    description: 'Coordinators, investigators and monitors name their sites, which must be activated; other roles have none',
    created: {
      description: 'A person: the one-time activation code. A user with an API key: the user and the key. Either is answered once',
      schema: { oneOf: [{ $ref: getSchemaPath(ActivationCodeIssued) }, { $ref: getSchemaPath(KeyUserCreated) }] },
      models: [ActivationCodeIssued, KeyUserCreated],
    },
    refusals: { 409: 'The user name is taken', 422: 'A site is not activated, or the role and sites do not fit together' },
  })
  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto) {
    await this.assertActivated(body.siteIds ?? []);
    if (body.username !== undefined) return this.accounts.create({ ...body, username: body.username }, principal);
    try {
      const { user, token } = await this.users.createUser({ ...body, siteIds: body.siteIds ?? [] });
      return { ...user, userId: user.id, token };
    } catch (error) {
      if (error instanceof UserRejectedError) throw ApiError.ruleViolations(error.violations);
      throw error;
    }
  }

  @ApiEndpoint({ summary: 'Every user, deactivated ones included', ok: [UserView] })
  @Get()
  @RequirePermission('administer')
  list() {
    return this.users.list();
  }

  /** The password stops working at once; the answer carries a new one-time activation code. */
  @ApiEndpoint({
    summary: "Reset a person's password: a new one-time activation code",
    created: ActivationCodeIssued,
    refusals: { 404: 'No such active user', 422: 'The user has an API key and no password' },
  })
  @Post(':userId/password-reset')
  @HttpCode(201)
  @RequirePermission('administer')
  resetPassword(@CurrentPrincipal() principal: Principal, @Param('userId') userId: string) {
    return this.accounts.resetPassword(userId, principal);
  }

  /** Effective on the user's next request: sessions end and API keys stop working. */
  @ApiEndpoint({
    summary: "Deactivate a user: sessions end and API keys stop working on the user's next request",
    noContent: 'Deactivated (deactivating again changes nothing)',
    refusals: { 404: 'No such user' },
  })
  @Post(':userId/deactivation')
  @HttpCode(204)
  @RequirePermission('administer')
  async deactivate(@CurrentPrincipal() principal: Principal, @Param('userId') userId: string): Promise<void> {
    await this.accounts.deactivate(userId, principal);
  }
}

/** Who the caller is: what a browser signed in with an API key shows and scopes its pages by. */
@ApiTags('users')
@Controller('me')
export class MeController {
  @ApiEndpoint({ summary: 'Who the caller is: name, role and sites', ok: MeView })
  @Get()
  @AnyAuthenticatedRole()
  me(@CurrentPrincipal() principal: Principal) {
    return { id: principal.userId, name: principal.name, role: principal.role, siteIds: principal.siteIds };
  }
}
