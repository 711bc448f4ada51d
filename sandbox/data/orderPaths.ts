import { orderState } from './catalog';

/**
 * The states an order went through to reach its current one, as the back office and the payment modules move it:
 * bank wire and cheque orders wait for their payment (10, 1) first, card payments are accepted at once (2);
 * preparation, shipping and delivery follow payment; a cancelled order was never paid (a failed card payment is
 * 8 first); a refunded order was paid, then refunded before shipping or after delivery.
 */
export function statePath(finalState: number, module: string, refundAfterDelivery: boolean): number[] {
  const awaiting = module === 'ps_wirepayment' ? 10 : module === 'ps_checkpayment' ? 1 : undefined;
  const pre = awaiting === undefined ? [] : [awaiting];
  switch (finalState) {
    case 6:
      return awaiting === undefined ? [8, 6] : [awaiting, 6];
    case 2:
    case 9:
    case 11:
      return [...pre, finalState];
    case 3:
      return [...pre, 2, 3];
    case 4:
      return [...pre, 2, 3, 4];
    case 5:
      return [...pre, 2, 3, 4, 5];
    case 7:
      return refundAfterDelivery ? [...pre, 2, 3, 4, 5, 7] : [...pre, 2, 7];
    default:
      return [finalState];
  }
}

/** Whether the order reached a paid state on the way: its payment was recorded then (total_paid_real). */
export function everPaid(path: readonly number[]): boolean {
  return path.some((state) => orderState(state)?.paid === true);
}

/** The index of the first paid state of the path, or -1. */
export function firstPaidIndex(path: readonly number[]): number {
  return path.findIndex((state) => orderState(state)?.paid === true);
}

export function everShipped(path: readonly number[]): boolean {
  return path.some((state) => orderState(state)?.shipped === true);
}

/** Delivered to the customer (a shipped state with delivery): what PrestaShop's hasBeenDelivered checks. */
export function everDelivered(path: readonly number[]): boolean {
  return path.includes(5);
}
