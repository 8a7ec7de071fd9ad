import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common/openapi';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { ApiKeys } from '../api-keys';
import { ACTIONS } from '../policy';
import { Principal } from '../principal';
import { ApiKeyIssued, ApiKeyView } from './auth.views';
import { CurrentPrincipal, RequirePermission } from './decorators';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Laboratory system, site S01' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ description: "a person's key: acts as that person" })
  @IsOptional()
  @IsString()
  userId?: string;

  @ApiPropertyOptional({ description: "a machine's key: acts in this role" })
  @IsOptional()
  @IsString()
  role?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  siteIds?: string[];

  @ApiProperty({ type: [String], enum: ACTIONS, example: ['submit-clinical-data'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ACTIONS.length)
  @IsString({ each: true })
  scopes: string[];

  @ApiProperty({ example: '2027-06-30T00:00:00Z' })
  @IsISO8601({ strict: true })
  expiresAt: string;
}

/** Scoped, expiring API keys for machine clients; the key is answered once and only its hash is kept. */
@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  @ApiEndpoint({
    summary: "Issue a scoped, expiring API key: a person's (acts as that person) or a machine's (acts in a role)",
    created: ApiKeyIssued,
    refusals: { 422: 'A scope, role, site, holder or expiry breaks a rule (`details` names it)' },
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto) {
    const { apiKey, token } = await this.keys.issue(body, principal);
    return { ...apiKey, apiKey: token };
  }

  @Get()
  @RequirePermission('administer')
  @ApiEndpoint({ summary: 'Every API key, revoked ones included (never the key itself)', ok: [ApiKeyView] })
  list() {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('administer')
  @ApiEndpoint({ summary: 'Revoke an API key: it stops working at once', noContent: 'Revoked', refusals: { 404: 'No such API key' } })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(id, principal);
  }
}
