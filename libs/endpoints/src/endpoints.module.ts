import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { EgressGuard, egressGuardFrom } from '@caravan/egress';
import { MetaEventsModule } from '@caravan/meta-events';
import { ProjectsModule } from '@caravan/projects';
import { Endpoint } from './entities/endpoint.entity';
import { EndpointRepository } from './repositories/endpoint.repository';
import { ActivateEndpoint } from './usecases/activate-endpoint/activate-endpoint.usecase';
import { CreateEndpoint } from './usecases/create-endpoint/create-endpoint.usecase';
import { DeleteEndpoint } from './usecases/delete-endpoint/delete-endpoint.usecase';
import { DisableEndpoint } from './usecases/disable-endpoint/disable-endpoint.usecase';
import { ExpireEndpointSecret } from './usecases/expire-endpoint-secret/expire-endpoint-secret.usecase';
import { EndpointCredentials } from './endpoint-credentials';
import { FindEndpoints } from './usecases/find-endpoints/find-endpoints.usecase';
import { GetEndpoint } from './usecases/get-endpoint/get-endpoint.usecase';
import { GetEndpointSecret } from './usecases/get-endpoint-secret/get-endpoint-secret.usecase';
import { ListEndpoints } from './usecases/list-endpoints/list-endpoints.usecase';
import { PauseEndpoint } from './usecases/pause-endpoint/pause-endpoint.usecase';
import { UpdateEndpoint } from './usecases/update-endpoint/update-endpoint.usecase';

const USE_CASES = [
  ActivateEndpoint,
  CreateEndpoint,
  DeleteEndpoint,
  DisableEndpoint,
  EndpointCredentials,
  ExpireEndpointSecret,
  FindEndpoints,
  GetEndpoint,
  GetEndpointSecret,
  ListEndpoints,
  PauseEndpoint,
  UpdateEndpoint,
];

@Module({
  imports: [TypeOrmModule.forFeature([Endpoint]), ProjectsModule, MetaEventsModule],
  providers: [
    EndpointRepository,
    // One guard per process, for the URL checks here and for every delivery's connection.
    {
      provide: EgressGuard,
      useFactory: (config: CaravanConfig) => egressGuardFrom(config.egress),
      inject: [CARAVAN_CONFIG],
    },
    ...USE_CASES,
  ],
  exports: [...USE_CASES, EgressGuard],
})
export class EndpointsModule {}
