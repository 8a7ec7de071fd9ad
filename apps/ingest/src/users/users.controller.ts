import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@trialstream/api-common';
import { AnyAuthenticatedRole, CurrentPrincipal, Principal, RequirePermission, UserDirectory, UserRejectedError } from '@trialstream/auth';
import { ROLES, Role } from '@trialstream/domain';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length } from 'class-validator';

export class CreateUserDto {
  @ApiProperty({ example: 'Ana Coordinator' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ type: [String], example: ['S01'], description: 'one site for a coordinator, the assigned sites for a monitor, none otherwise' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  siteIds: string[];
}

/** Users over HTTP, for administrators; the same rules as `npm run admin -- create-user`. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UserDirectory) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  async create(@Body() body: CreateUserDto) {
    try {
      const { user, token } = await this.users.createUser(body);
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

/** Who the caller is: what a browser signed in with an API key shows and scopes its pages by. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @AnyAuthenticatedRole()
  me(@CurrentPrincipal() principal: Principal) {
    return { id: principal.userId, name: principal.name, role: principal.role, siteIds: principal.siteIds };
  }
}
