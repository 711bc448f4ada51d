export type * from './api';
export { createShopApi, type PrestaShopClient, type ShopApiOptions } from './client';
export { PrestaShopError, isPrestaShopError, type PrestaShopErrorItem, type PrestaShopFailure } from './errors';
export { anyOf, equals, greaterThan, interval, lessThan, InvalidQueryError, type Filter, type ListQuery, type SortKey } from './query';
export { languageValue, parseRows, type ParsedRows } from './schemas';
export { RESOURCES, isShopResource, type ShopResource } from './resources';
export { SENSITIVE_FIELDS, stripSensitive } from './sensitiveFields';
export { addSeconds, assertTimeZone, compareShopLocal, fallBackSecondsBetween, isShopLocalTime, shopLocalToUtc, toShopLocal } from './shopTime';
export { defaultRetryPolicy, type RetryPolicy } from './transport';
