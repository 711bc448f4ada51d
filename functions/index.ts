/**
 * The Functions entry (package.json main = dist/functions/index.js). Telemetry starts first, before any function
 * module loads pg; then each module registers its function with app.*.
 */
import '../shared/telemetry/autostart';
// Not in this tree yet (written alongside): './syncCustomers', './syncProducts', './syncOrders', './reconcile'.
// Import each here, after autostart, once it lands.
import './refreshAnalytics';
