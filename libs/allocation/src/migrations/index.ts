import { CreateAllocationSchema1767398400000 } from './1767398400000-create-allocation-schema';

export const ALLOCATION_MIGRATIONS = [CreateAllocationSchema1767398400000];
