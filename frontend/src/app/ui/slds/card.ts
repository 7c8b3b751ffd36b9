import { booleanAttribute, ChangeDetectionStrategy, Component, input } from '@angular/core';

/** SLDS card (article.slds-card). Pure markup; no behaviour. */
@Component({
  selector: 'slds-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-card', '[class.slds-card_boundary]': 'boundary()', role: 'article' },
  styles: ':host { display: block; }',
  template: `
    <div class="slds-card__header slds-grid">
      <header class="slds-media slds-media_center slds-has-flexi-truncate">
        <div class="slds-media__body">
          <h2 class="slds-card__header-title">
            <span class="slds-truncate" [title]="heading()">{{ heading() }}</span>
          </h2>
        </div>
        <div class="slds-no-flex"><ng-content select="[sldsCardActions]" /></div>
      </header>
    </div>
    <div class="slds-card__body slds-card__body_inner"><ng-content /></div>
  `,
})
export class SldsCard {
  readonly heading = input.required<string>();
  readonly boundary = input(false, { transform: booleanAttribute });
}
