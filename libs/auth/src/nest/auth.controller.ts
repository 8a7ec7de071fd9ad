import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
// the OpenAPI helpers alone: the rest of api-common builds on this library
import { ApiEndpoint } from '@trialstream/api-common/openapi';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { PASSWORD_MAX_LENGTH } from '@trialstream/domain';
import { Accounts, SessionView } from '../accounts';
import { AnyAuthenticatedRole, CurrentPrincipal, Public } from './decorators';
import { Principal } from '../principal';
import { sessionOf } from './request-principal';
import { csrfMatches } from '../secrets';
import { CSRF_HEADER, SESSION_COOKIE, sessionCookieOptions, sessionTokenOf } from './session-cookie';
import { AuthError } from '../auth-error';
import { SessionViewDoc } from './auth.views';

/** Long enough for any real value, short enough that nobody makes the server hash a megabyte. */
const CREDENTIAL_MAX = PASSWORD_MAX_LENGTH * 4;

export class LoginDto {
  @ApiProperty({ example: 'ana.martin' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  username: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  password: string;
}

export class ActivateDto {
  @ApiProperty({ example: 'ana.martin' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  username: string;

  @ApiProperty({ description: 'the one-time code an administrator handed over' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  activationCode: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  currentPassword: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  newPassword: string;
}

/** The credentials of an electronic signature or a re-authenticated decision. */
export class SignatureCredentialsDto {
  @ApiProperty({ format: 'password', description: "the signer's password" })
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  password: string;

  @ApiPropertyOptional({ description: "the signer's user name: required for the first signature of a session" })
  @IsOptional()
  @IsString()
  @MaxLength(CREDENTIAL_MAX)
  username?: string;
}

/** People's login, session, logout, activation and password change; the session lives in a cookie. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: Accounts) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiEndpoint({
    summary: 'Log in with a user name and password: a session in the cookie `trialstream_session`',
    public: true,
    ok: {
      type: SessionViewDoc,
      headers: { 'Set-Cookie': { description: 'trialstream_session (HttpOnly, SameSite=Strict, Path=/)', schema: { type: 'string' } } },
    },
    refusals: {
      401: 'The user name or password is wrong (the same answer for an unknown user and a deactivated account)',
      423: 'Too many failed logins: the user name is locked out until `unlockAt` (`Retry-After`)',
    },
  })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const { token, view } = await this.accounts.login(body.username, body.password);
    res.cookie(SESSION_COOKIE, token, sessionCookieOptions(req));
    return view;
  }

  @Get('session')
  @AnyAuthenticatedRole()
  @ApiEndpoint({
    summary: "The browser session's user, CSRF token and expiry",
    ok: SessionViewDoc,
    refusals: { 401: 'No session, an ended one, or a request with an API key', 403: false },
  })
  session(@Req() req: Request): SessionView {
    const session = sessionOf(req);
    if (!session)
      throw new AuthError(401, 'unauthenticated', 'No browser session: this request used an API key', [
        { field: 'session', rule: 'valid-session' },
      ]);
    return session.view;
  }

  /**
   * Public so that a browser with an expired session can still clear its cookie; a live session is
   * ended only with its CSRF token, so another site cannot log a person out.
   */
  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiEndpoint({
    summary: 'End the session and clear its cookie (a live session only with its CSRF token)',
    public: true,
    noContent: 'Logged out, or there was no session',
    refusals: { 403: 'A live session without its `X-CSRF-Token`' },
  })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = sessionTokenOf(req);
    if (token) {
      const session = await this.accounts.resolveSession(token);
      if (session) {
        if (!csrfMatches(req.headers[CSRF_HEADER], token)) {
          throw new AuthError(403, 'forbidden', 'Logging out with the session cookie takes the CSRF token', [
            { field: 'X-CSRF-Token', rule: 'csrf-token' },
          ]);
        }
        await this.accounts.logout(token, session.principal);
      }
    }
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
  }

  @Public()
  @Post('activate')
  @HttpCode(204)
  @ApiEndpoint({
    summary: 'Exchange a one-time activation code for a first password',
    public: true,
    noContent: 'Activated: log in with the password',
    refusals: {
      401: 'The user name or activation code is wrong, used or expired',
      422: 'The password breaks a password rule',
      423: 'Too many failed attempts: the user name is locked out for a while',
    },
  })
  async activate(@Body() body: ActivateDto): Promise<void> {
    await this.accounts.activate(body.username, body.activationCode, body.password);
  }

  @Post('password')
  @HttpCode(204)
  @AnyAuthenticatedRole()
  @ApiEndpoint({
    summary: "Change the caller's password",
    noContent: 'Changed',
    refusals: {
      401: 'No credentials, or the current password is wrong',
      422: 'The new password breaks a password rule, or the account has no password',
      423: 'Too many failed attempts: the user name is locked out for a while',
    },
  })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.accounts.changePassword(principal, body.currentPassword, body.newPassword);
  }
}
