import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@trialstream/api-common';
import { RequirePermission, UserDirectory, UserRejectedError } from '@trialstream/auth';
import { ROLES, Role, siteStreamId } from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';

export class CreateUserDto {
  @ApiProperty({ example: 'Ana Coordinator' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ type: [String], example: ['S01'], default: [], description: 'one site for a coordinator, the assigned sites for a monitor; omitted for other roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  siteIds?: string[];
}

/** Users over HTTP, for administrators; the same rules as `npm run admin -- create-user`. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UserDirectory,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  /** A user's sites must exist: an administrator's typo would otherwise give a coordinator a site nobody runs. */
  private async assertActivated(siteIds: readonly string[]): Promise<void> {
    const violations = [];
    for (const [index, siteId] of siteIds.entries()) {
      if ((await this.store.streamVersion(siteStreamId(siteId))) === 0) {
        violations.push({ field: `siteIds[${index}]`, rule: 'activated-site', message: `site ${siteId} has not been activated` });
      }
    }
    if (violations.length > 0) throw ApiError.ruleViolations(violations);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  async create(@Body() body: CreateUserDto) {
    await this.assertActivated(body.siteIds ?? []);
    try {
      const { user, token } = await this.users.createUser({ ...body, siteIds: body.siteIds ?? [] });
      return { ...user, token };
    } catch (error) {
      if (error instanceof UserRejectedError) throw ApiError.ruleViolations(error.violations);
      throw error;
    }
  }

  @Get()
  @RequirePermission('administer')
  list() {
    return this.users.list();
  }
}
