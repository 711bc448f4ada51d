/**
 * The Functions entry (package.json main = dist/functions/index.js). Telemetry starts first, before any function
 * module loads pg; then each module registers its function with app.*.
 */
import '../shared/telemetry/autostart';
import './syncCustomers';
import './syncProducts';
import './syncOrders';
import './reconcile';
import './refreshAnalytics';
