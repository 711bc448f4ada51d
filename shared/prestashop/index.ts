export type * from './api';
export { createShopApi, type PrestaShopClient, type ShopApiOptions } from './client';
export { PrestaShopError, isPrestaShopError, type PrestaShopErrorItem, type PrestaShopFailure } from './errors';
export { anyOf, equals, greaterThan, interval, lessThan, InvalidQueryError, type Filter, type ListQuery, type SortKey } from './query';
export { languageValue, parseRows, rowSchemas, SENSITIVE_FIELDS, type ParsedRows, type ShopResource } from './schemas';
export { addSeconds, assertTimeZone, compareShopLocal, fallBackSecondsBetween, isShopLocalTime, shopLocalToUtc, toShopLocal } from './shopTime';
export { defaultRetryPolicy, type RetryPolicy } from './transport';
