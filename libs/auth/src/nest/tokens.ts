export { DATA_SOURCE } from '@trialstream/database';
