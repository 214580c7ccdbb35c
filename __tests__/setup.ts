import { Testing } from "cdktf";

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource...
Testing.setupJest();
