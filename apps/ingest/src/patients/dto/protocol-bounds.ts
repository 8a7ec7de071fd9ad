import { applyDecorators } from '@nestjs/common';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, type NumericRange } from '@trialstream/domain';
import { Max, Min } from 'class-validator';

/**
 * The protocol's limits, as the request DTOs check them first: read from the protocol definition, never
 * restated, so a body the DTO admits is never refused by the domain for its range alone. The domain
 * still checks every value against the protocol version in force (and an exclusive minimum).
 */
export const PROTOCOL_LIMITS = ANTI_MAG_RITUXIMAB_PROTOCOL;

/** `@Min` and `@Max` of a protocol range (class-validator's rules `min` and `max`). */
export const InProtocolRange = (range: NumericRange): PropertyDecorator => applyDecorators(Min(range.min), Max(range.max));
